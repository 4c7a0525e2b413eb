"""Campaigns, registrations, pledges, scoring, ranking and acclamation."""
