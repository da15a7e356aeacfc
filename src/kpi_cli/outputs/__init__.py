"""What a scored period becomes: screen text, exports, printable forms, provenance, atomic writes."""
