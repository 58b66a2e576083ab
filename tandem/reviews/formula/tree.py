"""The parsed formula: a tree of frozen dataclasses, one per construct of the grammar."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import (
    Decimal,
)


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
