"""Link charts: turn rows (call records, transactions, merge output) into a network of
normalised identities, and write it as an interactive HTML page, GraphML, GEXF, an i2 Analyst's
Notebook import table or a Maltego table.

In Python::

    from toexcli import read_table
    from toexcli.chart import build_network, write_html
    net = build_network(read_table("calls.csv"), links=[("Caller", "Callee")], date="Date")
    write_html(net, "chart.html")
"""

from .identity import TYPES, guess_type, normalise
from .network import (Network, build_network, check_size, focus, links_table, mark_highlight,
                      match_values, min_weight, nodes_table, top)

__all__ = ["TYPES", "Network", "build_network", "check_size", "focus", "guess_type", "links_table",
           "mark_highlight", "match_values", "min_weight", "nodes_table", "normalise", "top"]
