"""Demo decisions (seeder ``decisions``, order 50), written through the services."""


def seed(ctx) -> None:
    return None
