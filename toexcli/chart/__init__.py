"""Link charts: turn rows (call records, transactions, merge output) into a network of
normalised identities, and write it as an interactive HTML page, GraphML, GEXF, an i2 Analyst's
Notebook import table or a Maltego table.

In Python::

    from toexcli import read_table
    from toexcli.chart import build_network, write_html
    net = build_network(read_table("calls.csv"), links=[("Caller", "Callee")], date="Date")
    write_html(net, "chart.html")

The package is lazy: ``toex --help`` imports only ``toexcli.chart.cli``, never pandas.
"""

import importlib

_EXPORTS = {
    "TYPES": "identity", "guess_type": "identity", "normalise": "identity",
    "Network": "network", "build_network": "network", "check_size": "network", "focus": "network",
    "links_table": "network", "mark_highlight": "network", "match_values": "network",
    "min_weight": "network", "nodes_table": "network", "top": "network",
    "write_html": "html", "render_html": "html",
    "write_graphml": "export", "write_gexf": "export", "i2_table": "export",
    "maltego_table": "export",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
