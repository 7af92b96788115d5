"""Code lists of the CIN census and the SSDA903 return, each code with the collection years it
is valid in (code -> (first_year, last_year), None meaning no limit).

Years follow the schema history in ``shared/spec/formats`` (the DfE schema file named 20NN is
the collection ending 31 March 20NN, so the 2024 schema is 2023-24):
- CIN factors 18A/19A were split into 18B/18C and 19B/19C in the 2021 schema (2020-21);
- CIN factor 24A (child criminal exploitation) arrived in the 2022 schema (2021-22);
- CIN referral source 5D (early help) and closure reason RC9 arrived in the 2024 schema (2023-24);
- SSDA903 OC3 activity F3/P3 (training or employment) are in the 2021 schema and were replaced
  by F4/P4 and F5/P5 (apprenticeship) in the 2022 schema (2021-22).
Codes without a range are valid in every year the pack covers.
"""

from __future__ import annotations

from helpers.importers.common import codes

ETHNICITY = codes("DfE ethnicity codes", [
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"])

# --- CIN census --------------------------------------------------------------------------------

GENDER = codes("CIN GenderCurrent", ["1", "2", "0", "9"])
REFERRAL_SOURCE = codes("CIN referral sources", [
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B", "5C",
    "5D", "6", "7", "8", "9", "10"], _5D=("2023-24", None))
PRIMARY_NEED = codes("CIN primary need codes", [f"N{i}" for i in range(10)])
CLOSURE_REASON = codes("CIN reasons for closure", [f"RC{i}" for i in range(1, 10)],
                       RC9=("2023-24", None))
FACTORS = codes("CIN assessment factors", [
    "1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C",
    "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A",
    "15A", "16A", "17A", "18A", "18B", "18C", "19A", "19B", "19C", "20", "21", "22A", "23A", "24A"],
    _18A=(None, "2019-20"), _19A=(None, "2019-20"),
    _18B=("2020-21", None), _18C=("2020-21", None), _19B=("2020-21", None), _19C=("2020-21", None),
    _24A=("2021-22", None))
ABUSE_CATEGORY = codes("CIN categories of abuse", ["NEG", "PHY", "SAB", "EMO", "MUL"])
DISABILITY = codes("CIN disability codes", [
    "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"])
UPN_UNKNOWN = codes("CIN UPNunknown codes", [f"UN{i}" for i in range(1, 8)])

# --- SSDA903 -----------------------------------------------------------------------------------

SEX = codes("SSDA903 SEX", ["1", "2"])
FLAG = codes("0/1 flags", ["0", "1"])
RNE = codes("SSDA903 RNE", ["S", "L", "P", "T", "B", "U"])
LEGAL_STATUS = codes("SSDA903 LS", [
    "C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"])
NEED_903 = codes("SSDA903 CIN codes", [f"N{i}" for i in range(1, 9)])
PLACEMENT = codes("SSDA903 PLACE", [
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0",
    "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"])
PROVIDER = codes("SSDA903 PLACE_PROVIDER", [f"PR{i}" for i in range(6)])
REASON_CEASED = codes("SSDA903 REC", [
    "X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5",
    "E6", "E7", "E9", "E14", "E15", "E16", "E17", "E8"])
PLACE_CHANGE = codes("SSDA903 REASON_PLACE_CHANGE", [
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
    "CUSTOD", "OTHER"])
REVIEW_CODE = codes("SSDA903 REVIEW_CODE", [f"PN{i}" for i in range(8)])
MISSING_TYPE = codes("SSDA903 MISSING", ["M", "A"])
SDQ_REASON = codes("SSDA903 SDQ_REASON", [f"SDQ{i}" for i in range(1, 6)])
IN_TOUCH = codes("SSDA903 IN_TOUCH", ["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"])
ACTIVITY = codes("SSDA903 ACTIV", [
    "F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"],
    F3=(None, "2020-21"), P3=(None, "2020-21"),
    F4=("2021-22", None), P4=("2021-22", None), F5=("2021-22", None), P5=("2021-22", None))
ACCOMMODATION = codes("SSDA903 ACCOM", [
    f"{letter}{suffix}" for letter in "BCDEGHKRSTUVWXYZ" for suffix in "12"] + ["0"])
PREV_PERM = codes("SSDA903 PREV_PERM", ["P1", "P2", "P3", "P4", "Z1"])
PLACED_CEASED = codes("SSDA903 REASON_PLACED_CEASED", ["RD1", "RD2", "RD3", "RD4"])
SEX_ADOPTER = codes("SSDA903 SEX_ADOPTR", ["M1", "F1", "MM", "FF", "MF"])
LS_ADOPTER = codes("SSDA903 LS_ADOPTR", ["L0", "L11", "L12", "L2", "L3", "L4"])
SW_REASON = codes("SSDA903 SW_REASON", [
    "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS"])

# The pack's care_leavers.activity list has no F3/P3: the old "training or employment" codes map
# to the codes that replaced them (F4/P4).
ACTIVITY_TO_PACK = {"F3": "F4", "P3": "P4"}
