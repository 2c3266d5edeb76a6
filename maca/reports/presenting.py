"""A document made ready for a template: the charts drawn, the numbered items numbered."""

import copy


def presented(document: dict) -> dict:
    """A copy of the document whose chart blocks carry their chart (`svg`, `title`, `alt`,
    `table`) and whose numbered items carry their `number`."""
    from .charts import all_charts  # matplotlib: imported by the pages that draw, not at start

    document = copy.deepcopy(document)
    charts = {chart.key: chart for chart in all_charts(document["summary"])}
    for section in document["sections"]:
        for block in section["blocks"]:
            if block["kind"] == "chart":
                block["chart"] = charts[block["key"]]
            elif block["kind"] == "numbered":
                for number, item in enumerate(block["items"], start=1):
                    item["number"] = number
    return document
