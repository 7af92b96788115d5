"""Front-door tables: children, contacts, referrals, assessments and the child population."""

from __future__ import annotations

from helpers.data import code_lists as codes
from helpers.data.rules import rule
from helpers.data.schema_blocks import CHILD_ID, Column, Table

# Rules between columns of the front door's tables (checked in helpers.data.processing).
ASSESSMENT_ORDER = rule("FD-101", "an assessment starts on or before it is authorised",
                        ("assessments",))
PREVIOUS_REFERRAL = rule("FD-102", "a child's previous referral is dated before this referral",
                         ("referrals",))

CHILDREN = Table(
    name="children",
    level="record",
    description="Every child who appears in the year's extract, once.",
    key=("child_id",),
    columns=(
        Column("child_id", "id", CHILD_ID, unique=True),
        Column("birth_month", "month", "month of birth (the day is never held)"),
        Column("sex", "code", "sex as recorded", codes=codes.SEX,
               code_list="CIN census GenderCurrent"),
        Column("ethnicity", "code", "ethnicity", codes=codes.ETHNICITY,
               code_list="DfE ethnicity codes"),
    ),
)

CONTACTS = Table(
    name="contacts",
    level="record",
    description="Contacts to the children's front door received in the year.",
    key=("contact_id",),
    columns=(
        Column("contact_id", "id", "contact id", unique=True),
        Column("child_id", "id", CHILD_ID, references=("children", "child_id")),
        Column("contact_date", "date", "date the contact was received", in_year=True),
        Column("source", "code", "who made the contact", codes=codes.REFERRAL_SOURCE,
               code_list="CIN census referral sources", code_years=codes.REFERRAL_SOURCE_YEARS),
        Column("presenting_factors", "codes", "factors presented at contact",
               required=False, codes=codes.ASSESSMENT_FACTOR,
               code_list="CIN census assessment factors", long_table="contact_factors",
               code_years=codes.ASSESSMENT_FACTOR_YEARS),
        Column("outcome", "code", "decision on the contact", codes=codes.CONTACT_OUTCOME,
               code_list="the pack's contact outcomes"),
    ),
)

REFERRALS = Table(
    name="referrals",
    level="record",
    description="Referrals to children's social care accepted in the year (CIN census).",
    key=("referral_id",),
    columns=(
        Column("referral_id", "id", "referral id", unique=True),
        Column("contact_id", "id", "the contact that led to the referral", unique=True,
               references=("contacts", "contact_id")),
        Column("child_id", "id", CHILD_ID, references=("children", "child_id")),
        Column("referral_date", "date", "CINreferralDate", in_year=True),
        Column("source", "code", "ReferralSource", codes=codes.REFERRAL_SOURCE,
               code_list="CIN census referral sources", code_years=codes.REFERRAL_SOURCE_YEARS),
        Column("previous_referral_date", "date",
               "date of the child's latest earlier referral, blank if none", required=False),
    ),
)

ASSESSMENTS = Table(
    name="assessments",
    level="record",
    description="Child and family assessments authorised (completed) in the year.",
    key=("assessment_id",),
    columns=(
        Column("assessment_id", "id", "assessment id", unique=True),
        Column("child_id", "id", CHILD_ID, references=("children", "child_id")),
        Column("referral_id", "id", "the referral the assessment followed"),
        Column("start_date", "date", "AssessmentActualStartDate"),
        Column("authorised_date", "date", "AssessmentAuthorisationDate", in_year=True),
        Column("factors", "codes", "factors identified at the end of assessment",
               codes=codes.ASSESSMENT_FACTOR, code_list="CIN census assessment factors",
               long_table="assessment_factors", code_years=codes.ASSESSMENT_FACTOR_YEARS),
    ),
)

POPULATION = Table(
    name="population",
    level="aggregate",
    description="Children aged 0-17 living in the area (ONS mid-year estimate).",
    key=("age_band", "ethnic_group"),
    columns=(
        Column("age_band", "code", "age band", codes={
            "0-4": "0 to 4", "5-9": "5 to 9", "10-15": "10 to 15", "16-17": "16 to 17"},
            code_list="age bands"),
        Column("ethnic_group", "code", "major ethnic group",
               codes={g: g for g in codes.MAJOR_ETHNIC_GROUPS}, code_list="major ethnic groups"),
        Column("population", "int", "number of children", minimum=0),
    ),
)


TABLES = (CHILDREN, CONTACTS, REFERRALS, ASSESSMENTS, POPULATION)
