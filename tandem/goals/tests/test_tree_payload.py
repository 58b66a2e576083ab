from decimal import Decimal

from django_scopes import scope

from tandem.goals import selectors, services
from tandem.goals.api.serializers import TreeSerializer, tree_payload
from tandem.goals.testing import make_goals


def test_tree_payload_matches_the_serializer(org):
    goals = make_goals(org)
    with scope(company=org.company.pk):
        services.check_in(key_result=goals.staff_kr, value=Decimal("37"), confidence=6)
        tree = selectors.alignment_tree(goals.quarter)
        expected = TreeSerializer({"cycle": goals.quarter.pk, "nodes": tree.flat(),
                                   "orphans": tree.orphans}).data
        built = tree_payload(goals.quarter.pk, tree)
    assert built == expected
    assert len(built["nodes"]) == 3 and len(built["orphans"]) == 1
