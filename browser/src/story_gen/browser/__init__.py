"""story_gen studio service: the Python that runs only inside Pyodide."""
