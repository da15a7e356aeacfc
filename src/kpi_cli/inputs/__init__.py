"""Reading what people keep: record logs and rosters in CSV/TSV/XLSX, every problem located."""
