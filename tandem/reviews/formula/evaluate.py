"""Evaluating a parsed formula over Decimal, in a local decimal context with traps, so a
division by zero or an overflow is a FormulaError."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_HALF_UP,
    Decimal,
    localcontext,
)

from django.utils.translation import gettext as _

from .language import _CONTEXT, MAX_ROUND_PLACES, FormulaError
from .tree import Arithmetic, Call, Comparison, Logic, Negative, Node, Not, Number, Text, Variable


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
