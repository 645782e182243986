"""Small raw samples whose moments the tests sum by hand."""

from b2bgrowth.experiments.stats.moments import Moments


def moments_of(values, kind="mean"):
    return Moments(len(values), float(sum(values)), float(sum(v * v for v in values)), kind)


def variant(name, values, pre=None):
    row = {"name": name, "n": len(values), "sum": sum(values), "sum_squares": sum(v * v for v in values)}
    if pre is not None:
        row.update(
            covariate_sum=sum(pre),
            covariate_sum_squares=sum(x * x for x in pre),
            covariate_product_sum=sum(x * y for x, y in zip(pre, values)),
        )
    return row
