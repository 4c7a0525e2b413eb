"""placeholder"""


def seed(ctx):
    return None
