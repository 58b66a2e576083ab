"""The formula language HR writes bonus rules in: a small, safe expression language over
Decimal (DESIGN.md, "formulas"; ../shared/domain/okr-kpi.md, "Bonus").

Our own tokenizer and recursive-descent parser build a tree of frozen dataclasses, and
evaluation walks that tree. Nothing reaches Python's eval, exec, compile or attribute access:
a formula can only add, compare and call the five functions below. Limits on length, parts,
nesting and literal size are checked while reading, so hostile input fails with a
FormulaError, never a RecursionError or a long computation.

Grammar, lowest precedence first (full-width ＞ ≥ ＜ ≤ （ ） ， and × ÷ are accepted too):

    condition   := conjunction ("or" conjunction)*
    conjunction := negation ("and" negation)*
    negation    := "not" negation | comparison
    comparison  := sum [(">" | ">=" | "<" | "<=" | "==" | "=" | "!=") sum]
    sum         := product (("+" | "-") product)*
    product     := unary (("*" | "/") unary)*
    unary       := ("-" | "+") unary | primary
    primary     := number ["%"] | "text" | name | name "(" arguments ")" | "(" condition ")"

Types are checked while parsing: numbers in arithmetic, conditions (comparisons, and, or, not)
only where a condition is expected, text only compared (== or !=) with a text variable.
"""


from .evaluate import Formula
from .language import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_LITERAL,
    MAX_ROUND_PLACES,
    MAX_TOKENS,
    TEXT_VARIABLES,
    VARIABLES,
    FormulaError,
)
from .parser import parse

__all__ = ["FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "MAX_LITERAL", "MAX_ROUND_PLACES",
           "MAX_TOKENS", "TEXT_VARIABLES", "VARIABLES", "Formula", "FormulaError", "parse"]
