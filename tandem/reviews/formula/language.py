"""The formula language's vocabulary: its variables and functions, the limits on a formula,
and the error every refusal raises."""

from __future__ import annotations

import re
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

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
