"""Factory fixtures for the mechanisms: a commune's mechanism with one of everything, built
through the services like the rest of the test data."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest

from casework.clock import local_today
from casework.extensions import db
from casework.models import (
    ActionPlan,
    ActivityFile,
    FfomAnalysis,
    Mechanism,
    MechanismActivity,
    MechanismMember,
    PlannedActivity,
)
from casework.services import action_plans, mechanism_activities, mechanisms
from casework.services.action_plans import PlanInput, PlannedInput
from casework.services.mechanism_activities import ActivityInput
from casework.services.mechanisms import AnalysisInput, MemberInput


def member_input(**values) -> MemberInput:
    defaults = dict(full_name="Oumou Sangaré", sex="F", age_group="youth",
                    function="women_representative")
    defaults.update(values)
    return MemberInput(**defaults)


def analysis_input(**values) -> AnalysisInput:
    defaults = dict(analysed_on=local_today() - timedelta(days=30),
                    strengths=["Membres respectés", "Chefs coutumiers présents"],
                    weaknesses=["Peu de femmes", "Aucun registre"],
                    opportunities=["Appui du projet PECIC"], threats=["Transhumance"],
                    women=3, men=8, facilitator="AMSS")
    defaults.update(values)
    return AnalysisInput(**defaults)


def plan_input(**values) -> PlanInput:
    today = local_today()
    defaults = dict(title="Plan d'action 2026", starts_on=today - timedelta(days=60),
                    ends_on=today + timedelta(days=300),
                    objectives="Prévenir les conflits fonciers.", case_ids=[])
    defaults.update(values)
    return PlanInput(**defaults)


def planned_input(**values) -> PlannedInput:
    defaults = dict(title="Sensibilisation des femmes", kind="awareness",
                    planned_on=local_today() - timedelta(days=10), budget=150_000)
    defaults.update(values)
    return PlannedInput(**defaults)


def activity_input(**values) -> ActivityInput:
    defaults = dict(held_on=local_today() - timedelta(days=10), kind="awareness",
                    title="Causerie sur la paix", place="Place publique",
                    facilitators="Aminata Traoré", summary="Causerie-débat avec les femmes.",
                    young_women=12, women=20, elder_women=4, young_men=6, men=5, elder_men=2)
    defaults.update(values)
    return ActivityInput(**defaults)


@dataclass
class MechanismStage:
    mechanism: Mechanism
    member: MechanismMember
    analysis: FfomAnalysis
    plan: ActionPlan
    item: PlannedActivity
    activity: MechanismActivity
    file: ActivityFile | None = None


def new_mechanism(who, *, with_file: bool = False) -> MechanismStage:
    """A mechanism of `who`'s commune with a member, an FFOM analysis, a plan with one
    activity, that activity carried out (and a file of it, `with_file`)."""
    mediator = who.mediator
    mechanism = mechanisms.set_up_mechanism(mediator, who.commune, name="Mécanisme",
                                            set_up_on=local_today() - timedelta(days=400))
    member = mechanisms.add_member(mediator, mechanism, member_input())
    analysis = mechanisms.record_analysis(mediator, mechanism, analysis_input())
    plan = action_plans.create_plan(who.coordinator, mechanism, plan_input())
    item = action_plans.add_planned_activity(mediator, plan, planned_input())
    activity = mechanism_activities.record_activity(
        mediator, mechanism, activity_input(planned_id=item.id))
    stage = MechanismStage(mechanism, member, analysis, plan, item, activity)
    if with_file:
        from casework.services.attachments import check_upload
        from tests import filesamples
        stage.file = mechanism_activities.add_file(
            mediator, activity, check_upload(io.BytesIO(filesamples.pdf()), "liste.pdf", ""),
            "attendance_sheet")
    db.session.commit()
    return stage


@pytest.fixture
def make_mechanism(people):
    """make_mechanism(who=people, with_file=False): see new_mechanism."""
    def make(who=None, *, with_file: bool = False) -> MechanismStage:
        return new_mechanism(who or people, with_file=with_file)
    return make
