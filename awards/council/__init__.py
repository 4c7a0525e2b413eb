"""The council (hội đồng thi đua - khen thưởng): councils, terms and members, sessions,
the secret ballot, the tally and its proof. Models live in ``awards/models/council.py``."""
