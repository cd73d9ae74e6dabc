"""The workflow engine and its definitions; a plain Python package that knows nothing of Flask."""
from .engine import (
                     Engine,
                     StateDef,
                     TransitionDef,
                     TransitionNotAllowed,
                     UpgradeDef,
                     Workflow,
                     WorkflowDefinitionError,
)

__all__ = ["Engine", "StateDef", "TransitionDef", "TransitionNotAllowed", "UpgradeDef",
           "Workflow", "WorkflowDefinitionError"]
