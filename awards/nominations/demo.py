"""Demo nominations (seeder order 40), through the services."""


def seed(ctx) -> None:
    ctx.log("nominations: nothing yet")
