"""Plugin module for the pipeline (see b2bgrowth.plugins): reports and the stage-move API."""

from b2bgrowth.pipeline import reports  # noqa: F401  (registers pipeline, forecast, call-cadence, growth-model)


def register_web(web) -> None:
    from b2bgrowth.pipeline.routes import router

    web.add_router(router)
