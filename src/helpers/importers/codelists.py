"""The code lists the two returns are checked against, each code with the collection years
it is valid in.

Every code the pack also holds comes from the pack's own lists (``helpers.data.code_lists``
and the SSDA903 lists in ``helpers.data.schema_social_care``), years included, so a code is
valid on import exactly when the pack's validation accepts it. Listed here are only what the
returns have and the pack does not: fields with no pack column (primary need, closure
reason, disability, UPN unknown, the 903 provider, placement change, SDQ and adoption
fields), the 903's narrower SEX, the suffixed OC3 accommodation codes, and the OC3
activities F3/P3 that the 2022 schema (2021-22) replaced.

Years follow the schema history in ``shared/spec/formats`` (the DfE schema file named 20NN is
the collection ending 31 March 20NN, so the 2024 schema is 2023-24).
"""

from __future__ import annotations

from helpers.data import code_lists as pack
from helpers.data import schema_social_care as care
from helpers.data.code_lists import ValidYears
from helpers.importers.common import codes

ETHNICITY = codes("DfE ethnicity codes", pack.ETHNICITY)

# --- CIN census --------------------------------------------------------------------------------

GENDER = codes("CIN GenderCurrent", pack.SEX)
REFERRAL_SOURCE = codes("CIN referral sources", pack.REFERRAL_SOURCE, pack.REFERRAL_SOURCE_YEARS)
FACTORS = codes("CIN assessment factors", pack.ASSESSMENT_FACTOR, pack.ASSESSMENT_FACTOR_YEARS)
ABUSE_CATEGORY = codes("CIN categories of abuse", care.CP_CATEGORY)
# Return-only lists. Closure reason RC9 (referred to early help) arrived in the 2024 schema.
PRIMARY_NEED = codes("CIN primary need codes", [f"N{i}" for i in range(10)])
CLOSURE_REASON = codes("CIN reasons for closure", [f"RC{i}" for i in range(1, 10)],
                       {"RC9": ValidYears(first="2023-24")})
DISABILITY = codes("CIN disability codes", [
    "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"])
UPN_UNKNOWN = codes("CIN UPNunknown codes", [f"UN{i}" for i in range(1, 8)])

# --- SSDA903 -----------------------------------------------------------------------------------

RNE = codes("SSDA903 RNE", care.REASON_NEW_EPISODE)
LEGAL_STATUS = codes("SSDA903 LS", care.LEGAL_STATUS)
PLACEMENT = codes("SSDA903 PLACE", care.PLACEMENT_TYPE)
REASON_CEASED = codes("SSDA903 REC", care.REASON_CEASED)
REVIEW_CODE = codes("SSDA903 REVIEW_CODE", care.REVIEW_PARTICIPATION)
IN_TOUCH = codes("SSDA903 IN_TOUCH", care.CARE_LEAVER_IN_TOUCH)

# The 2022 schema (2021-22) replaced "training or employment" F3/P3 by F4/P4 and added the
# apprenticeships F5/P5. The pack's list has only today's codes; the importer writes F3/P3
# as the codes that replaced them (ACTIVITY_TO_PACK).
ACTIVITY_TO_PACK = {"F3": "F4", "P3": "P4"}
ACTIVITY = codes("SSDA903 ACTIV", [*care.CARE_LEAVER_ACTIVITY, *ACTIVITY_TO_PACK], {
    **dict.fromkeys(ACTIVITY_TO_PACK, ValidYears(last="2020-21")),
    **dict.fromkeys(("F4", "P4", "F5", "P5"), ValidYears(first="2021-22"))})
# OC3 ACCOM is the pack's accommodation letter with suffix 1 (suitable) or 2 (not), or 0.
ACCOMMODATION = codes("SSDA903 ACCOM", [
    f"{letter}{suffix}" for letter in care.CARE_LEAVER_ACCOMMODATION if letter != "0"
    for suffix in "12"] + ["0"])

# Return-only lists: the 903 SEX has no "not recorded", and fields with no pack column.
SEX = codes("SSDA903 SEX", ["1", "2"])
FLAG = codes("0/1 flags", ["0", "1"])
NEED_903 = codes("SSDA903 CIN codes", [f"N{i}" for i in range(1, 9)])
PROVIDER = codes("SSDA903 PLACE_PROVIDER", [f"PR{i}" for i in range(6)])
PLACE_CHANGE = codes("SSDA903 REASON_PLACE_CHANGE", [
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
    "CUSTOD", "OTHER"])
MISSING_TYPE = codes("SSDA903 MISSING", ["M", "A"])
SDQ_REASON = codes("SSDA903 SDQ_REASON", [f"SDQ{i}" for i in range(1, 6)])
PREV_PERM = codes("SSDA903 PREV_PERM", ["P1", "P2", "P3", "P4", "Z1"])
PLACED_CEASED = codes("SSDA903 REASON_PLACED_CEASED", ["RD1", "RD2", "RD3", "RD4"])
SEX_ADOPTER = codes("SSDA903 SEX_ADOPTR", ["M1", "F1", "MM", "FF", "MF"])
LS_ADOPTER = codes("SSDA903 LS_ADOPTR", ["L0", "L11", "L12", "L2", "L3", "L4"])
SW_REASON = codes("SSDA903 SW_REASON", [
    "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS"])
