"""Drawing shared by the reports, the cohort register and the certificates: SVG/PNG charts and PDF basics."""
