"""HTML pages of the outreach module, one module per part. Thin: parse, call a service or a
selector, render. Domain errors come back as the form's error list."""
