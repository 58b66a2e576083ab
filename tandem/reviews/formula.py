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

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_LENGTH = 1000
MAX_TOKENS = 400
MAX_DEPTH = 30
MAX_LITERAL = Decimal(10) ** 12
MAX_ROUND_PLACES = 12
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN,
                   traps=[InvalidOperation, DivisionByZero, Overflow])

VARIABLES: dict[str, str] = {
    "kpi_rate": gettext_lazy("KPI score / 100, e.g. 0.8"),
    "okr_rate": gettext_lazy("OKR score / 100, e.g. 1.2"),
    "kpi_score": gettext_lazy("KPI score, 0–100 and above"),
    "okr_score": gettext_lazy("OKR score, 0–100 and above"),
    "final_score": gettext_lazy("Final review score, 0–100 and above"),
    "final_rate": gettext_lazy("Final review score / 100"),
    "grade": gettext_lazy("Grade, text: \"S\", \"A\", \"B\", \"C\" or \"D\""),
    "base_salary": gettext_lazy("Monthly base wage"),
    "base_bonus": gettext_lazy("Base bonus of the policy"),
    "extra_bonus": gettext_lazy("Extra bonus of the policy"),
    "months_in_cycle": gettext_lazy("Months employed in the review period"),
}
TEXT_VARIABLES = frozenset({"grade"})

FUNCTIONS: dict[str, str] = {
    "min": gettext_lazy("min(a, b, …): the smallest of the values"),
    "max": gettext_lazy("max(a, b, …): the largest of the values"),
    "round": gettext_lazy("round(x, places): x rounded half-up to that many decimals"),
    "if": gettext_lazy("if(condition, then, else): “then” when the condition holds, else “else”"),
    "clamp": gettext_lazy("clamp(x, low, high): x kept between low and high"),
}
# Fewest and most arguments (None: no most), and how to write the call.
_ARITY = {
    "min": (2, None, "min(a, b, …)"),
    "max": (2, None, "max(a, b, …)"),
    "round": (1, 2, "round(x, places)"),
    "if": (3, 3, "if(condition, then, else)"),
    "clamp": (3, 3, "clamp(x, low, high)"),
}
_KEYWORDS = frozenset({"and", "or", "not"})
_COMPARISONS = frozenset({">", ">=", "<", "<=", "==", "!="})

# One character for one, so positions in the translated text are positions in the source.
_NORMALISE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # full-width ASCII
_NORMALISE.update({ord("×"): "*", ord("÷"): "/", ord("“"): '"', ord("”"): '"', 0x3000: " "})
_OPERATORS = {">=": ">=", "<=": "<=", "==": "==", "!=": "!=", "≥": ">=", "≤": "<=", "≠": "!=",
              "=": "==", ">": ">", "<": "<", "+": "+", "-": "-", "*": "*", "/": "/",
              "(": "(", ")": ")", ",": ","}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

NUMBER, CONDITION, TEXT = "number", "condition", "text"


class FormulaError(ValueError):
    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Number:
    value: Decimal
    position: int


@dataclass(frozen=True)
class Text:
    value: str
    position: int


@dataclass(frozen=True)
class Variable:
    name: str
    position: int


@dataclass(frozen=True)
class Negative:
    operand: Node
    position: int


@dataclass(frozen=True)
class Arithmetic:
    operator: str
    left: Node
    right: Node
    position: int


@dataclass(frozen=True)
class Comparison:
    operator: str
    left: Node
    right: Node
    position: int


@dataclass(frozen=True)
class Logic:
    operator: str  # "and" or "or"
    left: Node
    right: Node
    position: int


@dataclass(frozen=True)
class Not:
    operand: Node
    position: int


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Node, ...]
    position: int


Node = Number | Text | Variable | Negative | Arithmetic | Comparison | Logic | Not | Call


@dataclass(frozen=True)
class Formula:
    source: str
    variables_used: frozenset[str]
    tree: Node = field(repr=False, compare=False)
    # The variables in the order they first appear, for explanations.
    variables_in_order: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def evaluate(self, values: Mapping[str, Decimal | str]) -> Decimal:
        """The raw result (callers round). Raises FormulaError for a missing or ill-typed
        value, a division by zero or a number out of range."""
        try:
            with localcontext(_CONTEXT):
                # A figure of the wrong type can still make the result text.
                return _number(self.tree, values)
        except FormulaError:
            raise
        except ArithmeticError as error:
            raise FormulaError(_("A number in the calculation is too large or invalid.")) from error


class _Token(NamedTuple):
    kind: str  # "number", "text", "name", "op" or "end"
    text: str
    position: int
    value: Decimal | None = None


def parse(source: str, allowed: Iterable[str] | None = None) -> Formula:
    names = frozenset(VARIABLES if allowed is None else allowed)
    tokens = _tokenize(source)
    parser = _Parser(tokens, names)
    tree = parser.condition()
    _expect_end(parser.peek())
    kind = _kind(tree)
    if kind == CONDITION:
        raise FormulaError(_("The formula gives a yes/no condition, not a number: use it inside "
                             "if(condition, then, else)."), tree.position)
    if kind == TEXT:
        raise FormulaError(_("The formula gives text, not a number."), tree.position)
    order = tuple(dict.fromkeys(parser.variables))
    return Formula(source, frozenset(order), tree, order)


def _tokenize(source: str) -> list[_Token]:
    if len(source) > MAX_LENGTH:
        raise FormulaError(_("The formula is too long: at most %(count)s characters.")
                           % {"count": MAX_LENGTH}, MAX_LENGTH)
    for index, char in enumerate(source):
        if char not in "\t\n\r" and unicodedata.category(char) in _INVISIBLE:
            raise FormulaError(_("Invisible or control character U+%(code)s is not allowed.")
                               % {"code": f"{ord(char):04X}"}, index)
    if not source.strip():
        raise FormulaError(_("The formula is empty."), 0)
    text = source.translate(_NORMALISE)
    tokens: list[_Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
            continue
        token, index = _next_token(text, index)
        if len(tokens) == MAX_TOKENS:
            raise FormulaError(_("The formula is too long: at most %(count)s parts (numbers, "
                                 "names, operators).") % {"count": MAX_TOKENS}, token.position)
        tokens.append(token)
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _next_token(text: str, index: int) -> tuple[_Token, int]:
    char = text[index]
    if number := _NUMBER.match(text, index):
        return _number_token(text, number)
    if name := _NAME.match(text, index):
        return _Token("name", name.group(), index), name.end()
    if char == '"':
        end = text.find('"', index + 1)
        if end < 0:
            raise FormulaError(_("This text has no closing quote."), index)
        return _Token("text", text[index + 1:end], index), end + 1
    if text.startswith("**", index) or char == "^":
        raise FormulaError(_("There is no power operator: multiply instead."), index)
    if char == "%":
        raise FormulaError(_("A percent sign can only follow a number, as in 80 %"), index)
    for written in (text[index:index + 2], char):
        if written in _OPERATORS:
            return _Token("op", _OPERATORS[written], index), index + len(written)
    raise FormulaError(_("Unexpected character “%(char)s”.") % {"char": char}, index)


def _number_token(text: str, match: re.Match[str]) -> tuple[_Token, int]:
    start, end = match.span()
    if end < len(text) and (text[end].isalpha() or text[end] == "_"):
        raise FormulaError(_("A number cannot be followed by a letter: write numbers in plain "
                             "digits (no exponent such as 1e5) and put * before a name."), end)
    value = Decimal(match.group())
    if value > MAX_LITERAL:
        raise FormulaError(_("The number %(number)s is too large: at most %(limit)s.")
                           % {"number": match.group(), "limit": MAX_LITERAL}, start)
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == "%":
        digits = value.as_tuple()
        value = Decimal((digits.sign, digits.digits, int(digits.exponent) - 2))
        end = after + 1
    return _Token("number", text[start:end], start, value), end


def _expect_end(token: _Token) -> None:
    if token.kind == "end":
        return
    if token.text == ")":
        raise FormulaError(_("Unbalanced parenthesis: this “)” closes nothing."), token.position)
    if token.kind in ("number", "text", "name") or token.text == "(":
        raise FormulaError(_("An operator is missing before “%(token)s”.")
                           % {"token": token.text}, token.position)
    raise FormulaError(_("Unexpected “%(token)s”.") % {"token": token.text}, token.position)


def _kind(node: Node) -> str:
    if isinstance(node, Comparison | Logic | Not):
        return CONDITION
    if isinstance(node, Text):
        return TEXT
    if isinstance(node, Variable) and node.name in TEXT_VARIABLES:
        return TEXT
    return NUMBER


def _closest(name: str, candidates: Iterable[str]) -> str | None:
    lowered = {candidate.lower(): candidate for candidate in candidates}
    found = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def _need_number(node: Node) -> Node:
    kind = _kind(node)
    if kind == CONDITION:
        raise FormulaError(_("A comparison or condition cannot be used as a number: use "
                             "if(condition, then, else)."), node.position)
    if kind == TEXT:
        raise FormulaError(_("Text cannot be used in arithmetic: it can only be compared with "
                             "a text variable such as grade."), node.position)
    return node


def _need_condition(node: Node) -> Node:
    if _kind(node) != CONDITION:
        raise FormulaError(_("A condition is expected here, such as kpi_rate > 1."),
                           node.position)
    return node


class _Parser:
    def __init__(self, tokens: list[_Token], allowed: frozenset[str]):
        self.tokens = tokens
        self.index = 0
        self.allowed = allowed
        self.depth = 0
        self.open_parentheses = 0
        self.variables: list[str] = []

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def at(self, *texts: str) -> bool:
        token = self.peek()
        if token.kind == "name":
            return token.text.lower() in texts
        return token.kind == "op" and token.text in texts

    def enter(self, token: _Token) -> None:
        # Checked on the way down, so nesting never reaches Python's recursion limit.
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(_("The formula is nested too deeply: at most %(count)s levels.")
                               % {"count": MAX_DEPTH}, token.position)

    def condition(self) -> Node:
        left = self.conjunction()
        while self.at("or"):
            token = self.advance()
            right = self.conjunction()
            left = Logic("or", _need_condition(left), _need_condition(right), token.position)
        return left

    def conjunction(self) -> Node:
        left = self.negation()
        while self.at("and"):
            token = self.advance()
            right = self.negation()
            left = Logic("and", _need_condition(left), _need_condition(right), token.position)
        return left

    def negation(self) -> Node:
        if not self.at("not"):
            return self.comparison()
        token = self.advance()
        self.enter(token)
        operand = _need_condition(self.negation())
        self.depth -= 1
        return Not(operand, token.position)

    def comparison(self) -> Node:
        left = self.sum()
        if not self.at(*_COMPARISONS):
            return left
        token = self.advance()
        right = self.sum()
        if self.at(*_COMPARISONS):
            raise FormulaError(_("Comparisons cannot be chained: write a < b and b < c."),
                               self.peek().position)
        return _compared(token, left, right)

    def sum(self) -> Node:
        left = self.product()
        while self.at("+", "-"):
            token = self.advance()
            right = self.product()
            left = Arithmetic(token.text, _need_number(left), _need_number(right), token.position)
        return left

    def product(self) -> Node:
        left = self.unary()
        while self.at("*", "/"):
            token = self.advance()
            right = self.unary()
            left = Arithmetic(token.text, _need_number(left), _need_number(right), token.position)
        return left

    def unary(self) -> Node:
        if not self.at("-", "+"):
            return self.primary()
        token = self.advance()
        self.enter(token)
        operand = _need_number(self.unary())
        self.depth -= 1
        return Negative(operand, token.position) if token.text == "-" else operand

    def primary(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            return Number(token.value, token.position)
        if token.kind == "text":
            return Text(token.text, token.position)
        if token.kind == "name" and token.text.lower() not in _KEYWORDS:
            if self.at("("):
                return self.call(token)
            return self.variable(token)
        if token.text == "(":
            return self.parenthesised(token)
        if token.kind == "end":
            raise FormulaError(_("The formula ends too early: a number or a name is expected."),
                               token.position)
        if token.text == ")" and not self.open_parentheses:
            raise FormulaError(_("Unbalanced parenthesis: this “)” closes nothing."),
                               token.position)
        raise FormulaError(_("Unexpected “%(token)s”: a number, a name or “(” is expected here.")
                           % {"token": token.text}, token.position)

    def parenthesised(self, opening: _Token) -> Node:
        self.enter(opening)
        self.open_parentheses += 1
        node = self.condition()
        self.close(opening)
        return node

    def close(self, opening: _Token) -> None:
        token = self.peek()
        if token.text != ")" or token.kind != "op":
            if token.kind == "end":
                raise FormulaError(_("This “(” is never closed."), opening.position)
            raise FormulaError(_("Unexpected “%(token)s”: “)” is expected here.")
                               % {"token": token.text}, token.position)
        self.advance()
        self.depth -= 1
        self.open_parentheses -= 1

    def variable(self, token: _Token) -> Variable:
        name = token.text
        if name in self.allowed:
            self.variables.append(name)
            return Variable(name, token.position)
        if name.lower() in FUNCTIONS:
            raise FormulaError(_("“%(name)s” is a function: write %(usage)s.")
                               % {"name": name, "usage": _ARITY[name.lower()][2]}, token.position)
        suggestion = _closest(name, self.allowed)
        if suggestion:
            message = _("Unknown variable “%(name)s”. Did you mean “%(suggestion)s”?")
        else:
            message = _("Unknown variable “%(name)s”.")
        raise FormulaError(message % {"name": name, "suggestion": suggestion}, token.position)

    def call(self, token: _Token) -> Call:
        function = token.text.lower()
        if function not in FUNCTIONS:
            suggestion = _closest(function, FUNCTIONS)
            if token.text in self.allowed:
                message = _("“%(name)s” is a variable, not a function.")
            elif suggestion:
                message = _("Unknown function “%(name)s”. Did you mean “%(suggestion)s”?")
            else:
                message = _("Unknown function “%(name)s”.")
            raise FormulaError(message % {"name": token.text, "suggestion": suggestion},
                               token.position)
        opening = self.advance()
        self.enter(opening)
        self.open_parentheses += 1
        arguments: list[Node] = []
        if not self.at(")"):
            arguments.append(self.condition())
            while self.at(","):
                self.advance()
                arguments.append(self.condition())
        self.close(opening)
        return _checked_call(function, tuple(arguments), token.position)


def _compared(token: _Token, left: Node, right: Node) -> Comparison:
    kinds = {_kind(left), _kind(right)}
    if CONDITION in kinds:
        condition = left if _kind(left) == CONDITION else right
        _need_number(condition)
    if kinds == {TEXT, NUMBER}:
        raise FormulaError(_("Text cannot be compared with a number."), token.position)
    if kinds == {TEXT}:
        if token.text not in ("==", "!="):
            raise FormulaError(_("Text can only be compared with == or !=."), token.position)
        if isinstance(left, Text) and isinstance(right, Text):
            raise FormulaError(_("Compare text with a text variable such as grade."),
                               token.position)
    return Comparison(token.text, left, right, token.position)


def _checked_call(function: str, arguments: tuple[Node, ...], position: int) -> Call:
    fewest, most, usage = _ARITY[function]
    if len(arguments) < fewest or (most is not None and len(arguments) > most):
        raise FormulaError(_("Wrong number of arguments: write %(usage)s (%(count)s given).")
                           % {"usage": usage, "count": len(arguments)}, position)
    numbers = arguments
    if function == "if":
        _need_condition(arguments[0])
        numbers = arguments[1:]
    for argument in numbers:
        _need_number(argument)
    return Call(function, arguments, position)


def _evaluate(node: Node, values: Mapping[str, Decimal | str]) -> Decimal | str | bool:
    if isinstance(node, Number | Text):
        return node.value
    if isinstance(node, Variable):
        return _lookup(node, values)
    if isinstance(node, Negative):
        return -_number(node.operand, values)
    if isinstance(node, Arithmetic):
        return _arithmetic(node, values)
    if isinstance(node, Comparison):
        return _comparison(node, values)
    if isinstance(node, Logic):
        return _logic(node, values)
    if isinstance(node, Not):
        return not _evaluate(node.operand, values)
    return _call(node, values)


def _lookup(node: Variable, values: Mapping[str, Decimal | str]) -> Decimal | str:
    if node.name not in values:
        raise FormulaError(_("No value for “%(name)s”.") % {"name": node.name}, node.position)
    value = values[node.name]
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite() or isinstance(value, str):
        return value
    raise FormulaError(_("The value of “%(name)s” is neither a finite number nor text.")
                       % {"name": node.name}, node.position)


def _number(node: Node, values: Mapping[str, Decimal | str]) -> Decimal:
    value = _evaluate(node, values)
    if not isinstance(value, Decimal):
        raise FormulaError(_("A number is expected here, not the text “%(value)s”.")
                           % {"value": value}, node.position)
    return value


def _left_spine(node: Arithmetic | Logic) -> list[Arithmetic | Logic]:
    """`a + b + c + …` nests to the left as deep as it is long: walking its spine in a loop
    keeps recursion to the nesting the parser limits."""
    spine = [node]
    while isinstance(spine[-1].left, type(node)):
        spine.append(spine[-1].left)
    spine.reverse()
    return spine


def _logic(node: Logic, values: Mapping[str, Decimal | str]) -> bool:
    spine = _left_spine(node)
    result = _evaluate(spine[0].left, values)
    for step in spine:
        # Short-circuit: the right side is computed only when it decides.
        if (step.operator == "and") == bool(result):
            result = _evaluate(step.right, values)
    return result


def _arithmetic(node: Arithmetic, values: Mapping[str, Decimal | str]) -> Decimal:
    spine = _left_spine(node)
    result = _number(spine[0].left, values)
    for step in spine:
        result = _operate(step, result, _number(step.right, values))
    return result


def _operate(node: Arithmetic, left: Decimal, right: Decimal) -> Decimal:
    if node.operator == "+":
        return left + right
    if node.operator == "-":
        return left - right
    if node.operator == "*":
        return left * right
    if right == 0:
        raise FormulaError(_("Division by zero: the value after this “/” is 0."), node.position)
    return left / right


def _comparison(node: Comparison, values: Mapping[str, Decimal | str]) -> bool:
    left = _evaluate(node.left, values)
    right = _evaluate(node.right, values)
    if isinstance(left, str) != isinstance(right, str):
        raise FormulaError(_("Text cannot be compared with a number."), node.position)
    if node.operator == "==":
        return left == right
    if node.operator == "!=":
        return left != right
    if isinstance(left, str):
        raise FormulaError(_("Text can only be compared with == or !=."), node.position)
    if node.operator == ">":
        return left > right
    if node.operator == ">=":
        return left >= right
    if node.operator == "<":
        return left < right
    return left <= right


def _call(node: Call, values: Mapping[str, Decimal | str]) -> Decimal:
    arguments = node.arguments
    if node.function == "if":
        # Only the branch taken is computed: if(x > 0, y / x, 0) is safe when x is 0.
        chosen = arguments[1] if _evaluate(arguments[0], values) else arguments[2]
        return _number(chosen, values)
    numbers = [_number(argument, values) for argument in arguments]
    if node.function == "min":
        return min(numbers)
    if node.function == "max":
        return max(numbers)
    if node.function == "round":
        places = numbers[1] if len(numbers) == 2 else Decimal(0)
        if places != places.to_integral_value() or abs(places) > MAX_ROUND_PLACES:
            raise FormulaError(_("round needs a whole number of places between -%(limit)s and "
                                 "%(limit)s.") % {"limit": MAX_ROUND_PLACES}, node.position)
        rounded = numbers[0].quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
        # round(1234.5, -2) is 1.2E+3 after quantize; written out it reads 1200.
        return rounded.quantize(Decimal(1)) if places < 0 else rounded
    value, low, high = numbers
    if low > high:
        raise FormulaError(_("clamp: the low bound %(low)s is above the high bound %(high)s.")
                           % {"low": low, "high": high}, node.position)
    return min(max(value, low), high)
