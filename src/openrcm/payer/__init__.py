"""The payer's side: what a remittance says (and, later, adjudication for the sandbox payer)."""
