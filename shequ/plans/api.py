from ninja import Router

router = Router(tags=["计划与指标"])
