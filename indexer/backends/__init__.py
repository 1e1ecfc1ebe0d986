"""Where the index lives: today a folder holding an SQLite catalog and a FAISS vector file."""
