"""The CLI's list of entity names (interchange/names.py, light on purpose) is the declared one."""

from b2bgrowth.interchange.entities import ENTITIES
from b2bgrowth.interchange.names import ENTITY_NAMES


def test_the_cli_names_every_declared_entity_in_order():
    assert list(ENTITY_NAMES) == [*ENTITIES, "events"]
