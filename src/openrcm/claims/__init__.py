"""Claims: the model (professional and institutional), building from coded encounters, pricing, scrubbing."""
