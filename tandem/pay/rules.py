"""Pay's permission predicates (the `rules` library finds this module at start-up)."""

from . import rules_payroll, rules_records  # noqa: F401
