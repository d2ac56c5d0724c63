"""Table input/output that never loses evidence: every column as text, provenance, atomic writes."""

from .readers import cell_text
from .table import PROVENANCE, TableInput, read_table
from .writers import TableWriter, write_table

__all__ = ["PROVENANCE", "TableInput", "TableWriter", "cell_text", "read_table", "write_table"]
