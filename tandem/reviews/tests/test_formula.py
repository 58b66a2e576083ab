"""The bonus formula language: reading, types, limits, hostile input and evaluation over
Decimal (../shared/domain/okr-kpi.md, "Bonus")."""

import sys
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.reviews.formula import FUNCTIONS, VARIABLES, Formula, FormulaError, parse

D = Decimal
FIGURES = {"kpi_rate": D("0.8"), "okr_rate": D("1.25"), "kpi_score": D("80"),
           "okr_score": D("125"), "final_score": D("98"), "final_rate": D("0.98"),
           "grade": "B", "base_salary": D("15000"), "base_bonus": D("10000"),
           "extra_bonus": D("5000"), "months_in_cycle": D("3")}


@pytest.fixture(autouse=True, scope="module")
def english():
    with translation.override("en"):
        yield


def value(source, **figures):
    return parse(source).evaluate({**FIGURES, **figures})


def error_of(source, allowed=None):
    with pytest.raises(FormulaError) as raised:
        parse(source, allowed)
    return raised.value.position, raised.value.message


def evaluation_error(source, **figures):
    formula = parse(source)
    with pytest.raises(FormulaError) as raised:
        formula.evaluate({**FIGURES, **figures})
    return raised.value.position, raised.value.message


def test_the_editor_lists_the_variables_and_functions():
    assert list(VARIABLES) == ["kpi_rate", "okr_rate", "kpi_score", "okr_score", "final_score",
                               "final_rate", "grade", "base_salary", "base_bonus",
                               "extra_bonus", "months_in_cycle"]
    assert list(FUNCTIONS) == ["min", "max", "round", "if", "clamp"]
    assert str(VARIABLES["kpi_rate"]) == "KPI score / 100, e.g. 0.8"


@pytest.mark.parametrize(("source", "expected"), [
    ("1 + 2 * 3", D(7)), ("(1 + 2) * 3", D(9)), ("10 - 4 - 3", D(3)), ("12 / 4 / 3", D(1)),
    ("2 * 3 - 4 / 8", D("5.5")), ("-2 * 3", D(-6)), ("2 - -3", D(5)), ("+4 - +1", D(3)),
    ("-(1 + 2) * 2", D(-6)), ("1 - 2 + 3", D(2)), ("((7))", D(7)), (".5 * 4", D(2)),
])
def test_arithmetic_follows_the_usual_precedence(source, expected):
    assert parse(source).evaluate({}) == expected


def test_decimal_arithmetic_is_exact():
    result = parse("0.1 + 0.2").evaluate({})
    assert (result, str(result)) == (D("0.3"), "0.3")
    assert parse("1000000000000 - 0.01").evaluate({}) == D("999999999999.99")


def test_division_uses_28_digits_whatever_the_callers_context():
    with localcontext() as caller:
        caller.prec = 5
        result = parse("1 / 3 * 3").evaluate({})
        assert caller.prec == 5
    assert result == D("0.9999999999999999999999999999")


def test_variables_take_their_values():
    assert value("kpi_rate * base_bonus + okr_rate * extra_bonus") == D("14250.00")
    assert value("base_salary * months_in_cycle / 12") == D("3750")
    assert value("kpi_rate * base_bonus", kpi_rate=1) == D(10000)


@pytest.mark.parametrize(("source", "expected"), [
    ("80%", D("0.80")), ("80 %", D("0.80")), ("12.5% * 200", D("25.000")),
    ("150%", D("1.50")), ("0.5%", D("0.005")), ("if(kpi_rate > 100%, 1, 0)", D(0)),
    ("100% - 1", D("0.00")),
])
def test_percent_literal(source, expected):
    result = value(source)
    assert (result, str(result)) == (expected, str(expected))


@pytest.mark.parametrize(("source", "expected"), [
    ("（1 ＋ 2）× 3 ÷ 4", D("2.25")),
    ("if(kpi_rate ＞ 0.7, 1, 0)", D(1)),
    ("if(kpi_rate ≥ 0.8, 1, 0)", D(1)),
    ("if(kpi_rate ＜ 0.8, 1, 0)", D(0)),
    ("if(kpi_rate ≤ 0.8, 1, 0)", D(1)),
    ("if(kpi_rate ≠ 0.8, 1, 0)", D(0)),
    ("max（1，２）", D(2)),
    ("８０％", D("0.80")),
    ("if(grade ＝＝ “B”, 1, 0)", D(1)),
    ("kpi_rate\u3000*\u30002", D("1.6")),
])
def test_chinese_full_width_operators(source, expected):
    assert value(source) == expected


def test_positions_count_full_width_characters_once():
    assert error_of("（1 ＋ 2） × ") == (10, "The formula ends too early: a number or a name is "
                                          "expected.")
    assert error_of("min（1，kpi_rat）")[0] == 6


@pytest.mark.parametrize(("source", "expected"), [
    ("if(kpi_rate > 1, 100, 200)", D(200)),
    ("if(kpi_rate >= 0.8, 100, 200)", D(100)),
    ("IF(kpi_rate == 0.8, 1, 2)", D(1)),
    ("if(kpi_rate = 0.8, 1, 2)", D(1)),
    ("min(3, 1, 2)", D(1)), ("max(3, 1, 2)", D(3)), ("MIN(kpi_rate, 1)", D("0.8")),
    ("round(2.345, 2)", D("2.35")), ("round(2.5, 0)", D(3)), ("round(-2.5)", D(-3)),
    ("round(1234.565, 2)", D("1234.57")), ("round(1234.5, -2)", D(1200)),
    ("round(2 / 3, 4)", D("0.6667")),
    ("clamp(5, 1, 3)", D(3)), ("clamp(-5, 1, 3)", D(1)), ("clamp(2, 1, 3)", D(2)),
    ("clamp(okr_rate, 0, 1.2) * extra_bonus", D("6000.0")),
])
def test_functions(source, expected):
    result = value(source)
    assert (result, str(result)) == (expected, str(expected))


def test_if_computes_only_the_branch_taken():
    assert value("if(okr_rate > 0, 10 / okr_rate, 0)", okr_rate=D(0)) == D(0)
    assert value("if(okr_rate > 0, 10 / okr_rate, 0)", okr_rate=D(4)) == D("2.5")
    assert parse("if(kpi_rate > 1, kpi_rate, 0)").evaluate({"kpi_rate": D(1)}) == D(0)


@pytest.mark.parametrize(("grade", "expected"), [("S", D(3000)), ("A", D(1000)), ("B", D(0))])
def test_comparisons_with_the_grade_text(grade, expected):
    source = 'if(grade == "S", 3000, if(grade == "A", 1000, 0))'
    assert value(source, grade=grade) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ('if(grade != "D", 1, 0)', D(1)),
    ('if("B" == grade, 1, 0)', D(1)),
    ('if(grade == “B”, 1, 0)', D(1)),
    ('if(grade == "S" or grade == "B", 1, 0)', D(1)),
    ('if(grade == "B" and kpi_rate > 1, 1, 0)', D(0)),
    ('if(not grade == "B", 1, 0)', D(0)),
    ('if(not (kpi_rate > 1) and okr_rate >= 1.2, 1, 0)', D(1)),
    ('if(kpi_rate > 1 or okr_rate > 1 and grade == "D", 1, 0)', D(0)),  # and binds tighter
    ('if(kpi_rate < 1 or 1 / 0 > 1, 1, 0)', D(1)),  # or stops at the first true
    ('if(kpi_rate > 1 and 1 / 0 > 1, 1, 0)', D(0)),  # and stops at the first false
    ('if(kpi_rate < 1 AND NOT okr_rate < 1, 1, 0)', D(1)),
])
def test_conditions(source, expected):
    assert value(source) == expected


def test_variables_used_in_order_of_appearance():
    formula = parse("okr_rate * extra_bonus + kpi_rate * base_bonus + okr_rate")
    assert formula.variables_used == frozenset({"okr_rate", "extra_bonus", "kpi_rate",
                                                "base_bonus"})
    assert formula.variables_in_order == ("okr_rate", "extra_bonus", "kpi_rate", "base_bonus")
    assert formula.source == "okr_rate * extra_bonus + kpi_rate * base_bonus + okr_rate"
    assert parse("2 * 3").variables_used == frozenset()


def test_allowed_names_replace_the_default_list():
    assert parse("tenure_years * 100", allowed=["tenure_years"]).evaluate(
        {"tenure_years": D(2)}) == D(200)
    assert error_of("kpi_rate", allowed=["tenure_years"]) == (
        0, "Unknown variable “kpi_rate”.")


LONG = "1" + "+1" * 199  # 399 parts
DEEP = "(" * 30 + "1" + ")" * 30


def test_the_largest_accepted_formulas():
    assert parse(LONG).evaluate({}) == D(200)
    assert parse(DEEP).evaluate({}) == D(1)
    assert parse("-" * 30 + "1").evaluate({}) == D(1)
    assert parse("1000000000000").evaluate({}) == D(10) ** 12
    assert parse(" " * 990 + "1").evaluate({}) == D(1)


@pytest.mark.parametrize(("source", "position", "message"), [
    ("", 0, "The formula is empty."),
    ("  \n\t", 0, "The formula is empty."),
    ("kpi_rat * 2", 0, "Unknown variable “kpi_rat”. Did you mean “kpi_rate”?"),
    ("2 * KPI_RATE", 4, "Unknown variable “KPI_RATE”. Did you mean “kpi_rate”?"),
    ("1 + bonus_pool", 4, "Unknown variable “bonus_pool”."),
    ("mx(1, 2)", 0, "Unknown function “mx”. Did you mean “max”?"),
    ("sqrt(4)", 0, "Unknown function “sqrt”."),
    ("kpi_rate(2)", 0, "“kpi_rate” is a variable, not a function."),
    ("min + 1", 0, "“min” is a function: write min(a, b, …)."),
    ("1 + min(1)", 4, "Wrong number of arguments: write min(a, b, …) (1 given)."),
    ("max()", 0, "Wrong number of arguments: write max(a, b, …) (0 given)."),
    ("round(1, 2, 3)", 0, "Wrong number of arguments: write round(x, places) (3 given)."),
    ("if(kpi_rate > 1, 2)", 0, "Wrong number of arguments: write if(condition, then, else) "
                               "(2 given)."),
    ("clamp(1, 2)", 0, "Wrong number of arguments: write clamp(x, low, high) (2 given)."),
    ("(1 + 2", 0, "This “(” is never closed."),
    ("min(1, (2 + 3)", 3, "This “(” is never closed."),
    ("1 + 2)", 5, "Unbalanced parenthesis: this “)” closes nothing."),
    (")", 0, "Unbalanced parenthesis: this “)” closes nothing."),
    ("()", 1, "Unexpected “)”: a number, a name or “(” is expected here."),
    ("1 +", 3, "The formula ends too early: a number or a name is expected."),
    ("1 * / 2", 4, "Unexpected “/”: a number, a name or “(” is expected here."),
    ("1 2", 2, "An operator is missing before “2”."),
    ("kpi_rate base_bonus", 9, "An operator is missing before “base_bonus”."),
    ("1, 2", 1, "Unexpected “,”."),
    ("min(1 2)", 6, "Unexpected “2”: “)” is expected here."),
    ("min(1, 2,)", 9, "Unexpected “)”: a number, a name or “(” is expected here."),
    ("1 and 2", 0, "A condition is expected here, such as kpi_rate > 1."),
    ("and", 0, "Unexpected “and”: a number, a name or “(” is expected here."),
    ('"S" * 2', 0, "Text cannot be used in arithmetic: it can only be compared with a text "
                   "variable such as grade."),
    ("grade + 1", 0, "Text cannot be used in arithmetic: it can only be compared with a text "
                     "variable such as grade."),
    ('min(1, "2")', 7, "Text cannot be used in arithmetic: it can only be compared with a text "
                       "variable such as grade."),
    ('kpi_rate > "1"', 9, "Text cannot be compared with a number."),
    ('grade > "A"', 6, "Text can only be compared with == or !=."),
    ('"S" == "S"', 4, "Compare text with a text variable such as grade."),
    ("(kpi_rate > 1) * 100", 10, "A comparison or condition cannot be used as a number: use "
                                 "if(condition, then, else)."),
    ("if(kpi_rate, 1, 0)", 3, "A condition is expected here, such as kpi_rate > 1."),
    ("if(kpi_rate > 1, kpi_rate > 2, 0)", 26, "A comparison or condition cannot be used as a "
                                              "number: use if(condition, then, else)."),
    ("1 < 2 < 3", 6, "Comparisons cannot be chained: write a < b and b < c."),
    ("kpi_rate > 1", 9, "The formula gives a yes/no condition, not a number: use it inside "
                        "if(condition, then, else)."),
    ("not kpi_rate > 1", 0, "The formula gives a yes/no condition, not a number: use it inside "
                            "if(condition, then, else)."),
    ("grade", 0, "The formula gives text, not a number."),
    ('"S"', 0, "The formula gives text, not a number."),
    ('"S', 0, "This text has no closing quote."),
    ("1" * 1001, 1000, "The formula is too long: at most 1000 characters."),
    ("(" * 31 + "1" + ")" * 31, 30, "The formula is nested too deeply: at most 30 levels."),
    ("min(" * 31 + "1" + ", 1)" * 31, 123, "The formula is nested too deeply: at most 30 "
                                           "levels."),
    ("-" * 31 + "1", 30, "The formula is nested too deeply: at most 30 levels."),
    ("if(" + "not " * 31 + "kpi_rate > 1, 1, 0)", 119, "The formula is nested too deeply: at "
                                                       "most 30 levels."),
    (LONG + "+1", 400, "The formula is too long: at most 400 parts (numbers, names, "
                       "operators)."),
    ("1000000000000.01", 0, "The number 1000000000000.01 is too large: at most 1000000000000."),
    ("2 * 99999999999999999999", 4, "The number 99999999999999999999 is too large: at most "
                                    "1000000000000."),
    ("1e5", 1, "A number cannot be followed by a letter: write numbers in plain digits (no "
               "exponent such as 1e5) and put * before a name."),
    ("2kpi_rate", 1, "A number cannot be followed by a letter: write numbers in plain digits "
                     "(no exponent such as 1e5) and put * before a name."),
    ("2 ** 3", 2, "There is no power operator: multiply instead."),
    ("2 ^ 3", 2, "There is no power operator: multiply instead."),
    ("kpi_rate%", 8, "A percent sign can only follow a number, as in 80 %"),
    ("10 % 3", 5, "An operator is missing before “3”."),
    ("1 + \x00", 4, "Invisible or control character U+0000 is not allowed."),
    ("1\x1b[2J", 1, "Invisible or control character U+001B is not allowed."),
    ("kpi_rate\u200b * 2", 8, "Invisible or control character U+200B is not allowed."),
    ("1 + 2 \u202e", 6, "Invisible or control character U+202E is not allowed."),
    ("kpi_rate.real", 8, "Unexpected character “.”."),
    ("base_bonus[0]", 10, "Unexpected character “[”."),
    ("绩效 * 2", 0, "Unexpected character “绩”."),
])
def test_parse_errors_say_what_and_where(source, position, message):
    assert error_of(source) == (position, message)


def test_a_formula_error_is_a_value_error_with_its_message():
    error = FormulaError("Bad.", 3)
    assert (isinstance(error, ValueError), str(error), error.message, error.position) == (
        True, "Bad.", "Bad.", 3)
    assert FormulaError("Bad.").position is None


@pytest.mark.parametrize(("source", "figures", "position", "message"), [
    ("base_bonus / months_in_cycle", {"months_in_cycle": D(0)}, 11,
     "Division by zero: the value after this “/” is 0."),
    ("1 / (kpi_rate - 0.8)", {}, 2, "Division by zero: the value after this “/” is 0."),
    ("0 / 0", {}, 2, "Division by zero: the value after this “/” is 0."),
    ("kpi_rate * 2", {"kpi_rate": "0.8"}, 0, "A number is expected here, not the text “0.8”."),
    ('if(grade == "S", 1, 0)', {"grade": D(5)}, 9, "Text cannot be compared with a number."),
    ("if(kpi_rate > 1, 1, 0)", {"kpi_rate": "high"}, 12, "Text cannot be compared with a number."),
    ("if(kpi_rate > okr_rate, 1, 0)", {"kpi_rate": "a", "okr_rate": "b"}, 12,
     "Text can only be compared with == or !=."),
    ("kpi_rate + 1", {"kpi_rate": D("NaN")}, 0,
     "The value of “kpi_rate” is neither a finite number nor text."),
    ("kpi_rate + 1", {"kpi_rate": D("Infinity")}, 0,
     "The value of “kpi_rate” is neither a finite number nor text."),
    ("kpi_rate + 1", {"kpi_rate": 0.8}, 0,
     "The value of “kpi_rate” is neither a finite number nor text."),
    ("kpi_rate + 1", {"kpi_rate": True}, 0,
     "The value of “kpi_rate” is neither a finite number nor text."),
    ("kpi_rate + 1", {"kpi_rate": None}, 0,
     "The value of “kpi_rate” is neither a finite number nor text."),
    ("round(1, kpi_rate)", {}, 0, "round needs a whole number of places between -12 and 12."),
    ("round(1, 13)", {}, 0, "round needs a whole number of places between -12 and 12."),
    ("clamp(1, 3, 2)", {}, 0, "clamp: the low bound 3 is above the high bound 2."),
    ("kpi_rate * 10", {"kpi_rate": D("9e999999")}, None,
     "A number in the calculation is too large or invalid."),
    ("round(base_bonus, 2)", {"base_bonus": D("1e30")}, None,
     "A number in the calculation is too large or invalid."),
])
def test_evaluation_errors(source, figures, position, message):
    assert evaluation_error(source, **figures) == (position, message)


def test_a_missing_figure_is_named():
    formula = parse("kpi_rate * base_bonus")
    with pytest.raises(FormulaError) as raised:
        formula.evaluate({"kpi_rate": D(1)})
    assert (raised.value.position, raised.value.message) == (11, "No value for “base_bonus”.")


def test_the_result_must_be_a_number_whatever_the_figures():
    with pytest.raises(FormulaError) as raised:
        parse("kpi_rate").evaluate({"kpi_rate": "S"})
    assert (raised.value.position, raised.value.message) == (
        0, "A number is expected here, not the text “S”.")


def test_whole_numbers_are_accepted_as_figures():
    assert parse("kpi_score + 1").evaluate({"kpi_score": 80}) == D(81)


HOSTILE = [
    '__import__("os")', '__import__("os").system("true")', "().__class__",
    "().__class__.__bases__[0].__subclasses__()", 'open("x")', 'open("/etc/passwd").read()',
    "1e999999", "9**9**9", "lambda", "lambda: 1", "(lambda: 1)()", 'eval("1")', 'exec("1")',
    "globals()", "[x for x in ()]", "{}", "f'{1}'", "import os", "a if b else c", "1; 2",
    "kpi_rate.__class__", "x = 1", "\x00", "1\x00", "（" * 10_000 + "1" + "）" * 10_000,
    "(" * 10_000 + ")" * 10_000, "(" * 400 + "1" + ")" * 400, "-" * 999 + "1",
    "not " * 200 + "1", "1+" * 5000 + "1", "9" * 999,
]

WATCHED = {"exec", "compile", "import", "open", "os.system", "os.exec", "os.posix_spawn",
           "subprocess.Popen", "builtins.input", "os.remove", "shutil.rmtree"}
_recorder: dict[str, list[str] | None] = {"events": None}


def _audit(event, _args):
    events = _recorder["events"]
    if events is not None and event in WATCHED:
        events.append(event)


sys.addaudithook(_audit)  # an audit hook cannot be removed; it records only while asked


def _rejected(source):
    try:
        parse(source)
    except FormulaError as error:
        return error
    return None


def test_hostile_formulas_are_rejected_without_running_anything():
    for source in HOSTILE:  # first pass: translations and lazy imports load here
        _rejected(source)
    _recorder["events"] = events = []
    try:
        errors = [_rejected(source) for source in HOSTILE]
    finally:
        _recorder["events"] = None
    assert [source for source, error in zip(HOSTILE, errors, strict=True) if error is None] == []
    assert events == []


def test_the_audit_hook_would_see_code_being_run():
    _recorder["events"] = events = []
    try:
        compile("1", "<formula>", "eval")
    finally:
        _recorder["events"] = None
    assert events == ["compile"]


@given(st.text())
@settings(max_examples=400)
def test_any_text_parses_or_raises_a_formula_error(source):
    try:
        formula = parse(source)
    except FormulaError as error:
        assert isinstance(error.message, str) and error.message
        assert error.position is None or 0 <= error.position <= len(source)
        return
    assert isinstance(formula, Formula)
    _evaluates_or_raises(formula, FIGURES)


PARTS = ["kpi_rate", "okr_rate", "grade", "months_in_cycle", '"S"', "0", "1", "2.5", "80%",
         "+", "-", "*", "/", "×", "(", ")", "（", "）", ",", "if", "min", "max", "round",
         "clamp", ">", ">=", "==", "!=", "≥", "<", "and", "or", "not", "abs"]
figure = st.one_of(st.decimals(allow_nan=True, allow_infinity=True), st.integers(),
                   st.sampled_from(["S", "A", "", "0.8"]))


@given(st.lists(st.sampled_from(PARTS), min_size=1, max_size=30).map(" ".join),
       st.fixed_dictionaries(dict.fromkeys(("kpi_rate", "okr_rate", "grade"), figure)))
@settings(max_examples=600)
def test_token_soup_parses_and_evaluates_or_raises_a_formula_error(source, figures):
    try:
        formula = parse(source)
    except FormulaError:
        return
    _evaluates_or_raises(formula, {**FIGURES, **figures, "months_in_cycle": D(0)})


LEAVES = st.sampled_from(["kpi_rate", "okr_rate", "months_in_cycle", "base_bonus", "0", "1",
                          "2.5", "80%", "(kpi_score)"])
CONDITIONS = st.recursive(
    st.one_of(st.tuples(LEAVES, st.sampled_from([">", ">=", "<", "≤", "==", "!="]), LEAVES)
              .map(" ".join),
              st.sampled_from(['grade == "S"', "grade != “A”"])),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(" ".join),
        inner.map("not ({})".format)),
    max_leaves=3)


def _formulas(numbers):
    return st.one_of(
        st.tuples(numbers, st.sampled_from(["+", "-", "*", "/", "×", "÷"]), numbers)
        .map(" ".join),
        numbers.map("-({})".format),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(numbers, min_size=2, max_size=3))
        .map(lambda call: f"{call[0]}({', '.join(call[1])})"),
        st.tuples(numbers, st.integers(-3, 3)).map(lambda call: f"round({call[0]}, {call[1]})"),
        st.tuples(CONDITIONS, numbers, numbers).map(", ".join).map("if({})".format),
        st.tuples(numbers, numbers, numbers).map(", ".join).map("clamp({})".format))


valid_formulas = st.recursive(LEAVES, _formulas, max_leaves=10)


@given(valid_formulas,
       st.fixed_dictionaries(dict.fromkeys(("kpi_rate", "okr_rate", "grade"), figure)),
       st.sampled_from([D(0), D(3), D("0.5")]))
@settings(max_examples=400)
def test_valid_formulas_evaluate_to_a_number_or_raise_a_formula_error(source, figures, months):
    _evaluates_or_raises(parse(source), {**FIGURES, **figures, "months_in_cycle": months})


def _evaluates_or_raises(formula, figures):
    try:
        result = formula.evaluate(figures)
    except FormulaError as error:
        assert isinstance(error.message, str) and error.message
        return
    assert isinstance(result, Decimal) and result.is_finite()


small = st.one_of(st.integers(min_value=0, max_value=99).map(D),
                  st.decimals(min_value=0, max_value=99, places=1))


@given(st.lists(st.tuples(st.sampled_from("+-"),
                          st.lists(small, min_size=1, max_size=3)), min_size=1, max_size=4))
def test_products_bind_tighter_than_sums_exactly(terms):
    """A sum of signed products written without parentheses equals the same sum computed
    with fractions."""
    source = " ".join(f"{sign} {' * '.join(str(factor) for factor in factors)}"
                      for sign, factors in terms).lstrip("+ ")
    expected = Fraction(0)
    for sign, factors in terms:
        product = Fraction(1)
        for factor in factors:
            product *= Fraction(factor)
        expected += product if sign == "+" else -product
    assert Fraction(parse(source).evaluate({})) == expected
