"""Demo data for campaigns (seeder order 20)."""


def seed(ctx) -> None:
    return None
