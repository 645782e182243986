"""The experiments JSON API.

    GET  /api/v1/experiments                          list (any signed-in user; ?status=running)
    POST /api/v1/experiments                          create from ExperimentCreate (admin, ops) → 201
    GET  /api/v1/experiments/{key}                    one experiment
    PATCH /api/v1/experiments/{key}                   ExperimentUpdate (admin, ops), e.g. new planned dates
    POST /api/v1/experiments/{key}/decision           {"decision", "reason"} (admin, ops); decided_by = the caller
    GET  /api/v1/experiments/{key}/assignment?unit_id=…   the unit's variant; logs a "$exposure" event
    GET  /api/v1/experiments/{key}/results            analysis.analyze() (?as_of=2026-06-01&sequential=true&tuning=5000)
Unknown experiment 404; invalid body, refused change or an experiment not started 422 with the
reason; a role that may not create 403.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Query
from starlette.concurrency import run_in_threadpool

from b2bgrowth.experiments import service
from b2bgrowth.experiments.schemas import (
    DecisionIn,
    ExperimentCreate,
    ExperimentError,
    ExperimentPublic,
    ExperimentUpdate,
)
from b2bgrowth.web.deps import CurrentUser, WorkspaceDep, require_roles

router = APIRouter(prefix="/api/v1", tags=["experiments"])

STATUSES = ("draft", "running", "stopped", "decided")


def _not_found(exc: KeyError) -> HTTPException:
    return HTTPException(404, exc.args[0] if exc.args else "experiment not found")


@router.get("/experiments", summary="Experiments, newest first")
def list_experiments(ws: WorkspaceDep, user: CurrentUser, status: str | None = None) -> dict:
    if status is not None and status not in STATUSES:
        raise HTTPException(422, f"status: one of {', '.join(STATUSES)}, got {status!r}")
    return {"experiments": [e.model_dump(mode="json") for e in service.list_experiments(ws, status)]}


@router.post("/experiments", status_code=201, summary="Create an experiment (draft)",
             dependencies=[Depends(require_roles("admin", "ops"))])
async def create_experiment(body: ExperimentCreate, ws: WorkspaceDep, user: CurrentUser) -> ExperimentPublic:
    try:
        return await run_in_threadpool(service.create_experiment, ws, body, user.login)
    except ExperimentError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/experiments/{key}", summary="One experiment")
def get_experiment(key: str, ws: WorkspaceDep, user: CurrentUser) -> ExperimentPublic:
    try:
        return service.get_experiment(ws, key)
    except KeyError as exc:
        raise _not_found(exc) from None


@router.patch("/experiments/{key}", summary="Change an experiment (planned dates, metrics, ROI; the design only as a draft)",
              dependencies=[Depends(require_roles("admin", "ops"))])
async def update_experiment(key: str, body: ExperimentUpdate, ws: WorkspaceDep, user: CurrentUser) -> ExperimentPublic:
    try:
        return await run_in_threadpool(service.update_experiment, ws, key, body)
    except KeyError as exc:
        raise _not_found(exc) from None
    except ExperimentError as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/experiments/{key}/decision", summary="Record the decision, its reason and who took it (the caller)",
             dependencies=[Depends(require_roles("admin", "ops"))])
async def decide(key: str, body: DecisionIn, ws: WorkspaceDep, user: CurrentUser) -> ExperimentPublic:
    try:
        return await run_in_threadpool(service.decide, ws, key, body.decision, body.reason, user.login)
    except KeyError as exc:
        raise _not_found(exc) from None
    except ExperimentError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/experiments/{key}/assignment", summary="The variant of a unit (logs an exposure)")
async def assignment(key: str, ws: WorkspaceDep, user: CurrentUser,
                     unit_id: str = Query(..., min_length=1, max_length=64)) -> dict:
    from b2bgrowth.experiments.assignment import enrol, log_exposure

    def work() -> dict:
        exp = service.get_experiment(ws, key)
        if exp.status != "running":
            raise ExperimentError(f"status: experiment {key!r} is {exp.status}; assignments are served while it runs")
        variant = enrol(ws, key, unit_id)
        event_id = log_exposure(ws, key, unit_id, variant, unit=exp.unit)
        return {"experiment": key, "unit_id": unit_id, "variant": variant, "exposure_event_id": event_id}

    try:
        return await run_in_threadpool(work)
    except KeyError as exc:
        raise _not_found(exc) from None
    except ExperimentError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/experiments/{key}/results", summary="Effects per metric and variant, SRM, segments, ROI")
async def results(key: str, ws: WorkspaceDep, user: CurrentUser, as_of: datetime | None = None,
                  alpha: float = Query(0.05, gt=0, lt=1), sequential: bool = False,
                  tuning: int = Query(5000, ge=1, description="N* of the confidence sequence (with sequential=true)")) -> dict:
    from b2bgrowth.experiments.analysis import analyze

    try:
        return await run_in_threadpool(analyze, ws, key, as_of, alpha, sequential=sequential, tuning=tuning)
    except KeyError as exc:
        raise _not_found(exc) from None
    except ExperimentError as exc:
        raise HTTPException(422, str(exc)) from None
