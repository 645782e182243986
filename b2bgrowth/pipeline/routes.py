"""POST /api/v1/opportunities/{id}/stage — move an opportunity (the pipeline board's drag).

    POST /api/v1/opportunities/O1/stage   {"stage": "商务谈判"}     (roles admin, sales)
    → 200 {"opportunity_id", "from", "to", "status", "at"}
Unknown opportunity 404, unknown stage 422 (naming the stages), other roles 403.
The move is recorded in opportunity_stage_changes with the user's login.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from b2bgrowth.pipeline.stages import UnknownStage, load_stages, move_opportunity
from b2bgrowth.web.deps import CurrentUser, WorkspaceDep, require_roles

router = APIRouter(prefix="/api/v1", tags=["pipeline"])


class StageMove(BaseModel):
    stage: str = Field(min_length=1, max_length=64)


@router.get("/pipeline/stages", summary="The configured stages in order")
def stages(ws: WorkspaceDep, user: CurrentUser) -> dict:
    return {"stages": [{"name": s.name, "order": s.order, "probability": s.probability, "is_closed": s.is_closed}
                       for s in load_stages(ws)]}


@router.post("/opportunities/{opportunity_id}/stage", summary="Move an opportunity to a stage",
             dependencies=[Depends(require_roles("admin", "sales"))])
async def move(opportunity_id: str, body: StageMove, ws: WorkspaceDep, user: CurrentUser) -> dict:
    try:
        return await run_in_threadpool(move_opportunity, ws, opportunity_id, body.stage.strip(), user.login)
    except UnknownStage as exc:
        raise HTTPException(422, str(exc)) from None
    except KeyError as exc:
        raise HTTPException(404, exc.args[0]) from None
