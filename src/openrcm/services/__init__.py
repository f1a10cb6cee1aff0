"""Use cases that span the domain and the store: posting a remittance, registering claims."""
