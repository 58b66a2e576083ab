"""Reading a formula: the tokenizer (full-width characters normalised one for one, so
positions stay those of the source) and the recursive-descent parser, which checks types
and limits while it reads."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from decimal import (
    Decimal,
)
from typing import NamedTuple

from django.utils.translation import gettext as _

from .evaluate import Formula
from .language import (
    _ARITY,
    _COMPARISONS,
    _INVISIBLE,
    _KEYWORDS,
    _NAME,
    _NORMALISE,
    _NUMBER,
    _OPERATORS,
    CONDITION,
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_LITERAL,
    MAX_TOKENS,
    NUMBER,
    TEXT,
    TEXT_VARIABLES,
    VARIABLES,
    FormulaError,
)
from .tree import Arithmetic, Call, Comparison, Logic, Negative, Node, Not, Number, Text, Variable


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
