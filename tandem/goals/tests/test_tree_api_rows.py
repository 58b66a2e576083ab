"""`selectors.arrange_tree_rows` arranges any set of objectives, loops and parents in other
cycles included, as a plain recursive walk does."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tandem.goals.selectors import arrange_tree_rows

LEVELS = ["company", "department", "individual"]


@st.composite
def objectives(draw):
    """TREE_ROW tuples sorted by level then pk: each aligned to nothing, to any objective of
    the set (itself included, so loops), or to one outside it (another cycle's)."""
    count = draw(st.integers(min_value=0, max_value=25))
    rows = []
    for pk in range(1, count + 1):
        parent = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=count),
                                st.just(1000 + pk)))
        level = draw(st.sampled_from(LEVELS))
        rows.append((pk, parent, level, f"O{pk}", "draft", Decimal("0.5"), "owner"))
    return sorted(rows, key=lambda row: (LEVELS.index(row[2]), row[0]))


def _walk(rows):
    present = {row[0] for row in rows}
    orphans = [row for row in rows if row[1] is None and row[2] != "company"]
    roots = [row for row in rows if row[1] not in present and row not in orphans]
    out = []

    def visit(row, depth):
        out.append((row, depth))
        for child in rows:
            if child[1] == row[0]:
                visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    return out, orphans


@given(objectives())
def test_the_rows_are_arranged_as_a_recursive_walk_does(rows):
    tree = arrange_tree_rows(rows)
    walked, orphans = _walk(rows)
    assert list(zip(tree.nodes, tree.depths, strict=True)) == walked
    assert tree.orphans == orphans


def test_a_loop_hangs_from_nothing():
    rows = [(1, None, "company", "C", "draft", Decimal(0), ""),
            (2, 3, "department", "A", "draft", Decimal(0), ""),
            (3, 2, "department", "B", "draft", Decimal(0), ""),
            (4, 1, "individual", "P", "draft", Decimal(0), "")]
    tree = arrange_tree_rows(rows)
    assert [row[0] for row in tree.nodes] == [1, 4]
    assert tree.depths == [0, 1]
    assert tree.orphans == []
