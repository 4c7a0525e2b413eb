"""Award catalogue, rule sets, award records, eligibility, nominations."""
