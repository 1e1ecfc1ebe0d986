"""Stage 1, readers: a file -> its pages of raw text, one module a format (PDF; OCR for scanned pages)."""
