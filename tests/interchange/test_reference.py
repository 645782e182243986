"""docs/interchange.md shows the columns the code really has."""

from b2bgrowth.interchange import reference


def test_column_reference_in_docs_matches_the_entity_declarations():
    written = reference.DOC.read_text(encoding="utf-8")
    assert written == reference.splice(written), "run: python -m b2bgrowth.interchange.reference --write"
    assert reference.render() in written
