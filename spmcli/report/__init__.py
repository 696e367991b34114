"""What people see, worked out once from the engine's results: labels and wording in each
language; every output (console, workbooks, JSON, letters) lays these out."""
