"""What the demo council is made of: its directorates and services, pay grades, job families,
names and equality monitoring categories. Plain data; `plan.py` turns it into a council.

The words are the councils' own (see the strategies in the shared context): directorate,
division, service, team; KR grades; ASYE; team manager, service manager, head of service.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNCIL_NAME = "Northbridge City Council"
COUNCIL_CODE = "NCC"
EMAIL_DOMAIN = "northbridge.example"
PARTNER_NAME = "Northbridge Safeguarding Children Partnership"
PARTNER_CODE = "NSCP"

# --- grades ----------------------------------------------------------------------------------

# KR1..KR21: the lowest salary of each pay band (pounds a year); a band runs to the next one.
KR_MINIMUM = (
    23656,
    24294,
    25584,
    26835,
    28770,
    31364,
    33945,
    36648,
    39513,
    42839,
    46731,
    50879,
    55440,
    60445,
    66073,
    72690,
    80250,
    89100,
    101300,
    118900,
    165000,
)
KR_TOP = 195000
APPRENTICE_GRADE = 0  # the rank of the apprentice rate; KRn has rank n


def grade_rows() -> list[tuple[str, str, int]]:
    """(code, name, rank) for every grade, lowest first."""
    rows = [("APP", "Apprentice rate", APPRENTICE_GRADE)]
    for rank, low in enumerate(KR_MINIMUM, start=1):
        high = KR_MINIMUM[rank] - 1 if rank < len(KR_MINIMUM) else KR_TOP
        rows.append((f"KR{rank}", f"KR{rank} (£{low:,} to £{high:,})", rank))
    return rows


# --- job families ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rung:
    """One step of a family's career ladder: a title (with the specialism after a comma), its
    grade (KR rank) and how many of a team's posts it takes, relatively."""

    title: str
    grade: int
    weight: int
    registration: str | None = None  # None: the family's registration body


@dataclass(frozen=True)
class Family:
    key: str
    name: str  # JobRole.job_family
    ladder: tuple[Rung, ...]  # team members, lowest grade first
    manager: Rung  # the team manager
    apprentice: str = ""  # the family's apprentice title, if it takes apprentices
    registration: str = ""
    dbs: str = "none"
    children: bool = False
    adults: bool = False
    female: float = 0.7  # share of women in the family
    leave_rate: float = 0.12  # leavers a year per person in post
    agency: float = 0.05  # chance that a vacancy is covered by an agency worker
    part_time: float = 0.2  # share of posts that are part-time
    hard_to_fill: bool = False


SWE = "Social Work England"
HCPC = "Health and Care Professions Council"
SRA = "Solicitors Regulation Authority"
UKPHR = "UK Public Health Register"
EHRB = "Environmental Health Registration Board"

FAMILIES: dict[str, Family] = {
    f.key: f
    for f in (
        Family(
            "CSW",
            "Children's social work",
            (
                Rung("Social Work Assistant", 6, 2, registration=""),
                Rung("Social Worker (ASYE)", 8, 2),
                Rung("Social Worker", 9, 5),
                Rung("Senior Social Worker", 10, 2),
                Rung("Advanced Practitioner", 11, 1),
            ),
            Rung("Team Manager", 13, 0),
            apprentice="Social Work Degree Apprentice",
            registration=SWE,
            dbs="enhanced_barred",
            children=True,
            female=0.84,
            leave_rate=0.15,
            agency=0.55,
            part_time=0.15,
            hard_to_fill=True,
        ),
        Family(
            "ASW",
            "Adult social work",
            (
                Rung("Social Care Assessment Officer", 7, 2, registration=""),
                Rung("Social Worker (ASYE)", 8, 1),
                Rung("Social Worker", 9, 5),
                Rung("Senior Practitioner", 10, 2),
            ),
            Rung("Team Manager", 12, 0),
            apprentice="Social Work Degree Apprentice (Adults)",
            registration=SWE,
            dbs="enhanced_barred",
            adults=True,
            female=0.8,
            leave_rate=0.13,
            agency=0.35,
            part_time=0.2,
            hard_to_fill=True,
        ),
        Family(
            "CARE",
            "Adult social care",
            (
                Rung("Care and Support Worker", 3, 7),
                Rung("Senior Care and Support Worker", 5, 2),
                Rung("Care Coordinator", 6, 1),
            ),
            Rung("Registered Manager", 10, 0, registration="Care Quality Commission"),
            apprentice="Adult Care Worker Apprentice",
            dbs="enhanced_barred",
            adults=True,
            female=0.82,
            leave_rate=0.17,
            agency=0.25,
            part_time=0.45,
        ),
        Family(
            "RCC",
            "Residential childcare",
            (
                Rung("Residential Support Worker", 5, 6),
                Rung("Senior Residential Support Worker", 7, 2),
                Rung("Deputy Home Manager", 9, 1),
            ),
            Rung("Registered Home Manager", 11, 0, registration="Ofsted"),
            apprentice="Children, Young People and Families Apprentice",
            dbs="enhanced_barred",
            children=True,
            female=0.65,
            leave_rate=0.17,
            agency=0.35,
            part_time=0.25,
            hard_to_fill=True,
        ),
        Family(
            "OT",
            "Occupational therapy",
            (
                Rung("Occupational Therapy Assistant", 5, 2, registration=""),
                Rung("Occupational Therapist", 8, 3),
                Rung("Senior Occupational Therapist", 9, 2),
            ),
            Rung("Occupational Therapy Team Manager", 11, 0),
            apprentice="Occupational Therapy Degree Apprentice",
            registration=HCPC,
            dbs="enhanced_barred",
            adults=True,
            female=0.88,
            leave_rate=0.12,
            agency=0.3,
            part_time=0.3,
            hard_to_fill=True,
        ),
        Family(
            "EH",
            "Early help and youth",
            (
                Rung("Family Support Worker", 6, 4),
                Rung("Senior Family Support Worker", 8, 2),
                Rung("Practice Lead", 9, 1),
            ),
            Rung("Team Manager", 11, 0),
            apprentice="Youth Work Apprentice",
            dbs="enhanced_barred",
            children=True,
            female=0.78,
            leave_rate=0.14,
            agency=0.1,
            part_time=0.3,
        ),
        Family(
            "EDU",
            "Education and inclusion",
            (
                Rung("Education Officer", 7, 3),
                Rung("Senior Education Officer", 9, 2),
            ),
            Rung("Team Manager", 11, 0),
            dbs="enhanced_barred",
            children=True,
            female=0.8,
            leave_rate=0.11,
            agency=0.1,
            part_time=0.3,
        ),
        Family(
            "EP",
            "Educational psychology",
            (
                Rung("Assistant Educational Psychologist", 7, 1, registration=""),
                Rung("Educational Psychologist", 11, 3),
                Rung("Senior Educational Psychologist", 12, 1),
            ),
            Rung("Principal Educational Psychologist", 14, 0),
            registration=HCPC,
            dbs="enhanced_barred",
            children=True,
            female=0.85,
            leave_rate=0.12,
            agency=0.4,
            part_time=0.35,
            hard_to_fill=True,
        ),
        Family(
            "COM",
            "Commissioning",
            (
                Rung("Contracts and Quality Officer", 7, 2),
                Rung("Commissioning Officer", 9, 2),
                Rung("Commissioning Manager", 11, 1),
            ),
            Rung("Head of Commissioning Team", 13, 0),
            dbs="standard",
            female=0.7,
            leave_rate=0.11,
            part_time=0.2,
        ),
        Family(
            "PH",
            "Public health",
            (
                Rung("Public Health Officer", 7, 3),
                Rung("Public Health Practitioner", 9, 2),
                Rung("Public Health Specialist", 12, 1, registration=UKPHR),
            ),
            Rung("Consultant in Public Health", 15, 0, registration=UKPHR),
            dbs="standard",
            female=0.75,
            leave_rate=0.12,
            agency=0.05,
            part_time=0.3,
        ),
        Family(
            "HSG",
            "Housing",
            (
                Rung("Housing Assistant", 4, 2),
                Rung("Housing Officer", 6, 4),
                Rung("Senior Housing Officer", 8, 2),
            ),
            Rung("Housing Team Leader", 10, 0),
            apprentice="Housing Apprentice",
            dbs="standard",
            adults=True,
            female=0.6,
            leave_rate=0.12,
            agency=0.1,
            part_time=0.15,
        ),
        Family(
            "TRD",
            "Building trades",
            (
                Rung("Trades Operative", 4, 4),
                Rung("Multi-skilled Operative", 5, 2),
                Rung("Chargehand", 6, 1),
            ),
            Rung("Repairs Supervisor", 8, 0),
            apprentice="Trades Apprentice",
            dbs="basic",
            female=0.05,
            leave_rate=0.1,
            agency=0.2,
            part_time=0.03,
        ),
        Family(
            "HWY",
            "Highways and transport",
            (
                Rung("Highways Operative", 3, 4),
                Rung("Highways Technician", 6, 2),
                Rung("Highways Engineer", 9, 2),
                Rung("Principal Engineer", 11, 1),
            ),
            Rung("Highways Team Leader", 12, 0),
            apprentice="Civil Engineering Apprentice",
            dbs="basic",
            female=0.15,
            leave_rate=0.1,
            agency=0.15,
            part_time=0.03,
        ),
        Family(
            "ENV",
            "Environment and waste",
            (
                Rung("Operative", 2, 5),
                Rung("HGV Driver", 4, 2),
                Rung("Chargehand", 5, 1),
            ),
            Rung("Operations Supervisor", 7, 0),
            apprentice="Horticulture Apprentice",
            dbs="basic",
            female=0.1,
            leave_rate=0.13,
            agency=0.2,
            part_time=0.05,
        ),
        Family(
            "LIB",
            "Libraries and culture",
            (
                Rung("Library and Information Assistant", 3, 4),
                Rung("Senior Library Assistant", 5, 2),
            ),
            Rung("Library Manager", 8, 0),
            apprentice="Cultural Heritage Apprentice",
            dbs="enhanced",
            children=True,
            female=0.75,
            leave_rate=0.12,
            part_time=0.5,
        ),
        Family(
            "REG",
            "Regulatory services",
            (
                Rung("Regulatory Support Officer", 6, 1, registration=""),
                Rung("Officer", 8, 3),
                Rung("Senior Officer", 10, 2),
            ),
            Rung("Regulatory Team Manager", 12, 0),
            registration=EHRB,
            dbs="basic",
            female=0.5,
            leave_rate=0.1,
            agency=0.1,
            part_time=0.15,
        ),
        Family(
            "PLN",
            "Planning and regeneration",
            (
                Rung("Planning Technician", 6, 1),
                Rung("Planning Officer", 8, 3),
                Rung("Senior Planning Officer", 10, 2),
                Rung("Principal Officer", 11, 1),
            ),
            Rung("Planning Team Manager", 13, 0),
            apprentice="Town Planning Apprentice",
            dbs="basic",
            female=0.45,
            leave_rate=0.11,
            agency=0.15,
            part_time=0.15,
            hard_to_fill=True,
        ),
        Family(
            "FIN",
            "Finance",
            (
                Rung("Finance Assistant", 4, 2),
                Rung("Finance Officer", 6, 3),
                Rung("Senior Finance Officer", 8, 2),
                Rung("Accountant", 10, 1),
            ),
            Rung("Finance Team Manager", 12, 0),
            apprentice="Accountancy Apprentice",
            dbs="basic",
            female=0.65,
            leave_rate=0.11,
            agency=0.1,
            part_time=0.25,
        ),
        Family(
            "HR",
            "Human resources and organisational development",
            (
                Rung("HR Assistant", 5, 2),
                Rung("HR Adviser", 7, 3),
                Rung("Senior HR Adviser", 9, 1),
                Rung("HR Business Partner", 11, 1),
            ),
            Rung("HR Manager", 12, 0),
            apprentice="HR Apprentice",
            dbs="basic",
            female=0.8,
            leave_rate=0.12,
            agency=0.05,
            part_time=0.3,
        ),
        Family(
            "IT",
            "Digital and ICT",
            (
                Rung("ICT Analyst", 6, 3),
                Rung("ICT Engineer", 8, 3),
                Rung("Senior ICT Engineer", 10, 1),
                Rung("Technical Architect", 12, 1),
            ),
            Rung("ICT Manager", 13, 0),
            apprentice="Digital Support Apprentice",
            dbs="standard",
            female=0.3,
            leave_rate=0.13,
            agency=0.15,
            part_time=0.05,
        ),
        Family(
            "LEG",
            "Legal",
            (
                Rung("Legal Assistant", 6, 2, registration=""),
                Rung("Solicitor", 10, 3),
                Rung("Senior Solicitor", 12, 1),
            ),
            Rung("Legal Team Leader", 13, 0),
            apprentice="Solicitor Apprentice",
            registration=SRA,
            dbs="basic",
            female=0.65,
            leave_rate=0.12,
            agency=0.25,
            part_time=0.2,
            hard_to_fill=True,
        ),
        Family(
            "GOV",
            "Governance and democracy",
            (
                Rung("Governance Officer", 6, 3),
                Rung("Senior Governance Officer", 8, 1),
            ),
            Rung("Governance Team Manager", 11, 0),
            dbs="basic",
            female=0.65,
            leave_rate=0.11,
            part_time=0.2,
        ),
        Family(
            "CUS",
            "Customer services",
            (
                Rung("Customer Service Adviser", 4, 6),
                Rung("Senior Customer Service Adviser", 5, 2),
            ),
            Rung("Customer Services Team Leader", 7, 0),
            apprentice="Customer Service Apprentice",
            dbs="basic",
            female=0.7,
            leave_rate=0.19,
            agency=0.15,
            part_time=0.35,
        ),
        Family(
            "BS",
            "Business support",
            (
                Rung("Business Support Assistant", 3, 3),
                Rung("Business Support Officer", 5, 2),
                Rung("Senior Business Support Officer", 6, 1),
            ),
            Rung("Business Support Team Leader", 8, 0),
            apprentice="Business Administration Apprentice",
            dbs="standard",
            female=0.85,
            leave_rate=0.14,
            agency=0.1,
            part_time=0.4,
        ),
        Family(
            "POL",
            "Policy and communications",
            (
                Rung("Communications Officer", 7, 2),
                Rung("Policy Officer", 8, 2),
                Rung("Executive Assistant", 6, 1),
            ),
            Rung("Head of Policy and Communications", 14, 0),
            female=0.65,
            leave_rate=0.13,
            part_time=0.15,
        ),
        Family(
            "PART",
            "Safeguarding partnership",
            (
                Rung("Partnership Business Support Officer", 5, 2),
                Rung("Multi-agency Trainer", 8, 2),
                Rung("Partnership Development Officer", 9, 1),
            ),
            Rung("Partnership Training Manager", 11, 0),
            dbs="enhanced_barred",
            children=True,
            female=0.8,
            leave_rate=0.12,
            part_time=0.3,
        ),
    )
}

# The senior management family: service managers, heads of service, directors, chief executive.
MANAGEMENT = "Senior management"
SERVICE_MANAGER_GRADE = 15
HEAD_OF_SERVICE_GRADE = 17
DIRECTOR_GRADE = 20
CHIEF_EXECUTIVE_GRADE = 21


# --- the organisation ------------------------------------------------------------------------

AREAS = ("North", "South", "East", "West", "Central")
CARE_HOMES = (
    "Oakwood House",
    "Elm Lodge",
    "Beech Court",
    "Willow Grange",
    "Hawthorn House",
    "Rowan Court",
    "Ashfield Lodge",
    "Maple House",
)
CHILDRENS_HOMES = ("Brook House", "Fernlea", "Meadow View", "Hillside", "Orchard House", "Larches")
DAY_CENTRES = ("Riverside", "Parkside", "Millfield", "Castle Street", "Moorlands", "Greenbank")
LIBRARIES = ("Central", "Northgate", "Southmead", "Eastfield", "Westbury", "Hillcrest", "Dale")


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    family: str
    specialisms: tuple[str, ...]
    weight: float  # share of the council's posts, relatively
    size: tuple[int, int] = (7, 11)  # team members besides the manager
    places: tuple[str, ...] = AREAS
    team_name: str = "{spec} Team {place}"
    casual: bool = False  # has relief (casual) workers outside the establishment


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class Directorate:
    code: str
    name: str
    director: str
    divisions: tuple[Division, ...]


S = Service
DIRECTORATES: tuple[Directorate, ...] = (
    Directorate(
        "ADU",
        "Adults",
        "Director of Adult Social Services",
        (
            Division(
                "ASC",
                "Adult Social Work",
                (
                    S("LOC", "Locality Social Work", "ASW", ("Locality",), 6),
                    S("HOS", "Hospital Discharge", "ASW", ("Hospital Discharge",), 2),
                    S(
                        "LDT",
                        "Learning Disabilities",
                        "ASW",
                        ("Learning Disabilities", "Transitions"),
                        2,
                    ),
                    S("AMH", "Mental Health", "ASW", ("Mental Health",), 2),
                    S(
                        "SGA",
                        "Adult Safeguarding",
                        "ASW",
                        ("Safeguarding Adults", "Deprivation of Liberty"),
                        2,
                    ),
                ),
            ),
            Division(
                "PRV",
                "Provider Services",
                (
                    S("REA", "Reablement", "CARE", ("Reablement",), 6, (12, 18), casual=True),
                    S(
                        "RES",
                        "Residential Care",
                        "CARE",
                        ("Residential Care",),
                        6,
                        (14, 22),
                        CARE_HOMES,
                        "{place}",
                        casual=True,
                    ),
                    S(
                        "DAY",
                        "Day Opportunities",
                        "CARE",
                        ("Day Opportunities",),
                        3,
                        (9, 14),
                        DAY_CENTRES,
                        "{place} Day Centre",
                        casual=True,
                    ),
                    S(
                        "SLX",
                        "Shared Lives and Extra Care",
                        "CARE",
                        ("Shared Lives", "Extra Care"),
                        2,
                    ),
                ),
            ),
            Division(
                "TAC",
                "Therapies and Commissioning",
                (
                    S(
                        "OTS",
                        "Occupational Therapy",
                        "OT",
                        ("Adults Community", "Hospital", "Housing Adaptations"),
                        3,
                    ),
                    S("CMA", "Adults Commissioning", "COM", ("Adult Social Care",), 1.5, (5, 8)),
                ),
            ),
        ),
    ),
    Directorate(
        "CHI",
        "Children's",
        "Director of Children's Services",
        (
            Division(
                "CSC",
                "Children's Social Care",
                (
                    S("CPR", "Child Protection", "CSW", ("Child Protection", "Court"), 3.5),
                    S("MSH", "Front Door and MASH", "CSW", ("MASH", "Assessment"), 2.5),
                    S("CIC", "Children in Care", "CSW", ("Children in Care", "Care Leavers"), 3),
                    S("FOS", "Fostering and Adoption", "CSW", ("Fostering", "Adoption"), 2),
                    S("DCH", "Disabled Children", "CSW", ("Disabled Children",), 1.5),
                    S(
                        "RCH",
                        "Children's Homes",
                        "RCC",
                        ("Children's Homes",),
                        2,
                        (10, 14),
                        CHILDRENS_HOMES,
                        "{place}",
                    ),
                ),
            ),
            Division(
                "EHP",
                "Early Help and Prevention",
                (
                    S("FSS", "Family Support", "EH", ("Family Support", "Edge of Care"), 3),
                    S("YTH", "Youth Service", "EH", ("Youth Work",), 1.5),
                    S("YJS", "Youth Justice", "EH", ("Youth Justice",), 1),
                ),
            ),
            Division(
                "EDI",
                "Education and Inclusion",
                (
                    S("SND", "SEND", "EDU", ("SEND Casework", "Inclusion"), 2),
                    S("EPS", "Educational Psychology", "EP", ("Educational Psychology",), 0.7),
                    S(
                        "ADM",
                        "Admissions and Education Welfare",
                        "EDU",
                        ("School Admissions", "Education Welfare"),
                        1,
                    ),
                ),
            ),
        ),
    ),
    Directorate(
        "PLA",
        "Place",
        "Director of Place",
        (
            Division(
                "ENV",
                "Environment",
                (
                    S(
                        "WST",
                        "Waste and Recycling",
                        "ENV",
                        ("Waste Collection", "Recycling"),
                        5,
                        (12, 18),
                    ),
                    S("STC", "Street Cleansing", "ENV", ("Street Cleansing",), 2, (10, 14)),
                    S(
                        "PRK",
                        "Parks and Bereavement Services",
                        "ENV",
                        ("Parks", "Bereavement Services"),
                        2,
                        casual=True,
                    ),
                    S("FLT", "Fleet", "ENV", ("Fleet",), 0.5),
                ),
            ),
            Division(
                "HWT",
                "Highways and Transport",
                (
                    S(
                        "HWM",
                        "Highways Maintenance",
                        "HWY",
                        ("Highways Maintenance", "Drainage"),
                        3,
                        (10, 16),
                    ),
                    S(
                        "TRS",
                        "Traffic and Road Safety",
                        "HWY",
                        ("Traffic Management", "Road Safety"),
                        1,
                    ),
                    S("LGT", "Street Lighting", "HWY", ("Street Lighting",), 0.7),
                ),
            ),
            Division(
                "REG",
                "Regulatory Services",
                (
                    S(
                        "EHS",
                        "Environmental Health",
                        "REG",
                        ("Food Safety", "Pollution Control"),
                        1,
                    ),
                    S(
                        "TSL",
                        "Trading Standards and Licensing",
                        "REG",
                        ("Trading Standards", "Licensing"),
                        0.8,
                    ),
                ),
            ),
            Division(
                "PLR",
                "Planning and Regeneration",
                (
                    S(
                        "DEV",
                        "Development Management",
                        "PLN",
                        ("Development Management", "Planning Policy"),
                        1,
                    ),
                    S("BCO", "Building Control", "PLN", ("Building Control",), 0.5),
                    S(
                        "ECD",
                        "Economic Development",
                        "PLN",
                        ("Economic Development", "Regeneration"),
                        0.6,
                    ),
                ),
            ),
            Division(
                "CUL",
                "Culture and Libraries",
                (
                    S(
                        "LIB",
                        "Libraries",
                        "LIB",
                        ("Libraries",),
                        2,
                        (6, 10),
                        LIBRARIES,
                        "{place} Library",
                        casual=True,
                    ),
                    S("MUS", "Museums and Archives", "LIB", ("Museums", "Archives"), 0.7),
                ),
            ),
        ),
    ),
    Directorate(
        "HOU",
        "Housing",
        "Director of Housing",
        (
            Division(
                "HMG",
                "Housing Management",
                (
                    S(
                        "TEN",
                        "Tenancy Management",
                        "HSG",
                        ("Tenancy Management", "Anti-social Behaviour"),
                        2,
                    ),
                    S("INC", "Income Collection", "HSG", ("Income",), 1),
                ),
            ),
            Division(
                "HOP",
                "Housing Options",
                (
                    S("HML", "Homelessness Prevention", "HSG", ("Homelessness",), 1.5),
                    S("ALL", "Housing Register and Allocations", "HSG", ("Allocations",), 0.7),
                    S(
                        "TMP",
                        "Temporary Accommodation",
                        "HSG",
                        ("Temporary Accommodation",),
                        0.8,
                    ),
                ),
            ),
            Division(
                "PRS",
                "Property Services",
                (
                    S(
                        "REP",
                        "Repairs and Maintenance",
                        "TRD",
                        ("Electrical", "Plumbing", "Carpentry", "Gas", "Voids"),
                        4,
                        (10, 16),
                    ),
                    S("HST", "Housing Standards", "HSG", ("Housing Standards",), 0.5),
                ),
            ),
        ),
    ),
    Directorate(
        "PUB",
        "Public Health",
        "Director of Public Health",
        (
            Division(
                "HIM",
                "Health Improvement",
                (
                    S(
                        "HLS",
                        "Healthy Lifestyles",
                        "PH",
                        ("Health Improvement", "Smoking Cessation", "Healthy Weight"),
                        1,
                        (5, 8),
                    ),
                    S(
                        "SMS",
                        "Substance Misuse and Sexual Health",
                        "PH",
                        ("Substance Misuse", "Sexual Health"),
                        0.6,
                        (4, 7),
                    ),
                ),
            ),
            Division(
                "HPI",
                "Health Protection and Intelligence",
                (
                    S("HPR", "Health Protection", "PH", ("Health Protection",), 0.4, (4, 7)),
                    S(
                        "PHI",
                        "Public Health Intelligence",
                        "PH",
                        ("Public Health Intelligence",),
                        0.4,
                        (4, 7),
                    ),
                ),
            ),
        ),
    ),
    Directorate(
        "COR",
        "Corporate Resources",
        "Director of Corporate Resources (Section 151 Officer)",
        (
            Division(
                "POD",
                "People and Organisational Development",
                (
                    S(
                        "HRA",
                        "HR Advisory",
                        "HR",
                        ("HR Advisory", "HR Business Partnering"),
                        0.8,
                        (5, 9),
                    ),
                    S(
                        "LND",
                        "Learning and Development",
                        "HR",
                        ("Learning and Development", "Organisational Development"),
                        0.5,
                        (5, 9),
                    ),
                    S("PAY", "Payroll and Pensions", "HR", ("Payroll",), 0.5),
                    S("RCR", "Recruitment", "HR", ("Recruitment",), 0.3, (4, 7)),
                    S("HSW", "Health, Safety and Wellbeing", "HR", ("Health and Safety",), 0.3),
                ),
            ),
            Division(
                "FIN",
                "Finance",
                (
                    S("ACC", "Accountancy", "FIN", ("Accountancy",), 1),
                    S(
                        "RAB",
                        "Revenues and Benefits",
                        "FIN",
                        ("Council Tax", "Business Rates", "Benefits"),
                        3,
                    ),
                    S("PRC", "Procurement", "FIN", ("Procurement",), 0.5),
                    S("AUD", "Internal Audit", "FIN", ("Internal Audit",), 0.3, (4, 7)),
                ),
            ),
            Division(
                "DIG",
                "Digital and ICT",
                (
                    S(
                        "APD",
                        "Applications and Data",
                        "IT",
                        ("Applications", "Data and Insight"),
                        0.7,
                    ),
                    S("SDK", "Service Desk", "IT", ("Service Desk",), 0.7),
                    S(
                        "INF",
                        "Infrastructure and Security",
                        "IT",
                        ("Infrastructure", "Cyber Security"),
                        0.6,
                    ),
                ),
            ),
            Division(
                "LDS",
                "Legal and Democratic Services",
                (
                    S(
                        "LEG",
                        "Legal Services",
                        "LEG",
                        ("Childcare Law", "Adult Social Care Law", "Property and Contracts Law"),
                        1,
                    ),
                    S(
                        "DEM",
                        "Democratic Services",
                        "GOV",
                        ("Democratic Services", "Elections"),
                        0.4,
                    ),
                    S(
                        "IGC",
                        "Information Governance",
                        "GOV",
                        ("Information Governance", "Complaints"),
                        0.4,
                    ),
                ),
            ),
            Division(
                "CUS",
                "Customer Services",
                (
                    S(
                        "CCT",
                        "Contact Centre",
                        "CUS",
                        ("Contact Centre",),
                        2,
                        (10, 16),
                        casual=True,
                    ),
                    S("REG", "Registration Services", "CUS", ("Registration",), 0.4, casual=True),
                ),
            ),
        ),
    ),
)

# --- equality monitoring: the 2021 census categories for England ----------------------------

# (category, share of the workforce in per cent, the names the generator draws from)
ETHNICITIES: tuple[tuple[str, float, str], ...] = (
    ("White: English, Welsh, Scottish, Northern Irish or British", 76.0, "british"),
    ("White: Irish", 0.8, "irish"),
    ("White: Gypsy or Irish Traveller", 0.1, "irish"),
    ("White: Roma", 0.1, "european"),
    ("White: Other White", 4.5, "european"),
    ("Mixed or Multiple ethnic groups: White and Black Caribbean", 1.2, "mixed_caribbean"),
    ("Mixed or Multiple ethnic groups: White and Black African", 0.5, "mixed_african"),
    ("Mixed or Multiple ethnic groups: White and Asian", 0.7, "mixed_asian"),
    ("Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups", 0.5, "british"),
    ("Asian, Asian British or Asian Welsh: Indian", 3.0, "indian"),
    ("Asian, Asian British or Asian Welsh: Pakistani", 5.0, "muslim"),
    ("Asian, Asian British or Asian Welsh: Bangladeshi", 1.0, "muslim"),
    ("Asian, Asian British or Asian Welsh: Chinese", 0.5, "chinese"),
    ("Asian, Asian British or Asian Welsh: Other Asian", 1.0, "indian"),
    ("Black, Black British, Black Welsh, Caribbean or African: Caribbean", 1.5, "caribbean"),
    ("Black, Black British, Black Welsh, Caribbean or African: African", 2.5, "african"),
    ("Black, Black British, Black Welsh, Caribbean or African: Other Black", 0.3, "african"),
    ("Other ethnic group: Arab", 0.4, "arab"),
    ("Other ethnic group: Any other ethnic group", 0.3, "european"),
)
PREFER_NOT = "Prefer not to say"

# Religion or belief by the names' group: (category, weight)
RELIGIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "british": (("No religion", 48), ("Christian", 48), ("Jewish", 0.8), ("Other religion", 1)),
    "irish": (("Christian", 70), ("No religion", 30)),
    "european": (("Christian", 65), ("No religion", 33), ("Other religion", 2)),
    "caribbean": (("Christian", 65), ("No religion", 30), ("Other religion", 5)),
    "african": (("Christian", 72), ("Muslim", 20), ("No religion", 8)),
    "muslim": (("Muslim", 92), ("No religion", 6), ("Other religion", 2)),
    "arab": (("Muslim", 85), ("Christian", 10), ("No religion", 5)),
    "indian": (("Hindu", 45), ("Sikh", 28), ("Muslim", 12), ("Christian", 5), ("No religion", 10)),
    "chinese": (("No religion", 60), ("Buddhist", 15), ("Christian", 22), ("Other religion", 3)),
}
RELIGIONS["mixed_caribbean"] = RELIGIONS["caribbean"]
RELIGIONS["mixed_african"] = RELIGIONS["african"]
RELIGIONS["mixed_asian"] = (("No religion", 50), ("Christian", 25), ("Muslim", 15), ("Hindu", 10))

SEXUAL_ORIENTATIONS: tuple[tuple[str, float], ...] = (
    ("Straight or Heterosexual", 87.0),
    ("Gay or Lesbian", 2.2),
    ("Bisexual", 1.8),
    ("All other sexual orientations", 0.4),
    (PREFER_NOT, 4.6),
    ("", 4.0),
)

# --- leaving -----------------------------------------------------------------------------------

# Why people leave when it is not retirement, the end of a contract or a post being deleted.
LEAVING_REASONS: tuple[tuple[str, float], ...] = (
    ("resignation", 80),
    ("dismissal", 5),
    ("transfer_out", 6),
    ("other", 7),
    ("death_in_service", 0.6),
)

# --- names -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BRITISH = Names(
    _words(
        "Sarah Emma Claire Rachel Laura Lisa Nicola Helen Joanne Karen Amy Hannah Rebecca Gemma "
        "Kelly Louise Victoria Jennifer Samantha Charlotte Sophie Lucy Katie Jessica Emily Chloe "
        "Megan Olivia Grace Ellie Susan Julie Amanda Donna Tracey Deborah Alison Jane Catherine "
        "Elizabeth Kirsty Leanne Natalie Zoe Jade Holly Bethany Abigail Paula Wendy Carol "
        "Angela Mandy Jackie Lauren Danielle Stacey Michelle Sharon Heather Fiona Caroline"
    ),
    _words(
        "David Paul Mark Andrew James Richard Michael Stephen John Robert Christopher Daniel "
        "Matthew Thomas Simon Peter Gary Darren Lee Craig Jason Wayne Neil Ian Martin Kevin Adam "
        "Ryan Liam Jack Luke Ben Sam Joshua Callum Tom Oliver Harry Alex Nathan Scott Stuart "
        "Graham Colin Steven Anthony Dean Carl Philip Jonathan Gareth Keith Barry Shaun Jamie"
    ),
    _words(
        "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
        "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson Wood "
        "Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen "
        "James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly "
        "Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall "
        "Anderson Simpson Ellis Adams Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Hunt "
        "Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker "
        "Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Fletcher Walsh Gibson Howard "
        "Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence "
        "Cole Atkinson Bradley Spencer Gill Dawson Ball Burton Watts Rose Booth Perry Grant Wells "
        "Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe "
        "Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter "
        "Newton Oliver Reed Kennedy Bird Gardner Dean Lane Cooke Bates Henderson Parry Burgess "
        "Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton "
        "Sutton Yates Hodgson Robson Curtis Hopkins Harper Coleman Watkins Moss Chambers Griffin "
        "Sharp Hardy Wheeler Potter Osborne Johnston Gordon Wallace Jordan Hutchinson Rowe"
    ),
)
IRISH = Names(
    _words("Siobhan Aoife Niamh Ciara Sinead Roisin Mary Bridget Orla Maeve"),
    _words("Sean Ciaran Declan Patrick Liam Conor Eoin Niall Padraig Brendan"),
    _words(
        "Murphy Kelly O'Sullivan Walsh Byrne Ryan O'Brien Doyle McCarthy Gallagher Kennedy "
        "Lynch Quinn Brennan Flynn Connolly Doherty McLaughlin Nolan Keane"
    ),
)
EUROPEAN = Names(
    _words(
        "Agnieszka Katarzyna Magdalena Joanna Anna Ewa Monika Aleksandra Ioana Elena Andreea "
        "Maria Kristina Laura Daiva Ana Sofia Beatriz Giulia Marta"
    ),
    _words(
        "Piotr Tomasz Krzysztof Marcin Pawel Michal Lukasz Andrei Mihai Ion Adrian Darius Jonas "
        "Marek Stefan Joao Pedro Marco Luca Nikolai"
    ),
    _words(
        "Nowak Wojcik Kowalczyk Mazur Krawczyk Zajac Popescu Ionescu Popa Dumitru Petrov Novak "
        "Horvath Silva Costa Rossi Ferreira Santos Kazlauskas Jankauskas Ricci Papadopoulos"
    ),
)
MUSLIM = Names(
    _words(
        "Aisha Fatima Ayesha Zainab Maryam Sana Nadia Samina Shazia Rukhsana Nasreen Amina Hina "
        "Sadia Iqra Mehwish Farzana Shabana Yasmin Tahira Safia Rubina"
    ),
    _words(
        "Mohammed Muhammad Imran Asif Tariq Zahid Adnan Kamran Bilal Usman Faisal Naveed Shahid "
        "Arif Sajid Hamza Yusuf Ibrahim Omar Abdul Zubair Aamir"
    ),
    _words(
        "Khan Hussain Ali Ahmed Akhtar Begum Bibi Iqbal Mahmood Rashid Shah Malik Rehman Aslam "
        "Hussein Miah Uddin Islam Rahman Chowdhury Butt Javed"
    ),
)
INDIAN = Names(
    _words(
        "Priya Anjali Pooja Neha Sunita Kiran Harpreet Jaspreet Manpreet Simran Ravinder Anita "
        "Meena Deepa Nisha Rupinder Shreya Kavita"
    ),
    _words(
        "Rajesh Sanjay Amit Vikram Arjun Rahul Sunil Ravi Harjit Gurpreet Jaswinder Manjit "
        "Amrit Dev Nikhil Rohan Anil Kuldip"
    ),
    _words(
        "Patel Singh Kaur Sharma Kumar Gill Sandhu Mistry Shah Joshi Sidhu Dhillon Bains Chauhan "
        "Mehta Parmar Lal Chopra"
    ),
)
CARIBBEAN = Names(
    _words("Marcia Sharon Michelle Janet Yvonne Simone Tanisha Shantelle Paulette Jasmine Kemi"),
    _words("Delroy Winston Marcus Andre Leon Tyrone Jermaine Devon Clive Errol Darnell"),
    _words(
        "Campbell Brown Williams Thompson Francis Henry Samuels Grant Edwards Clarke Johnson "
        "Robinson Lewis Morgan Bailey Reid"
    ),
)
AFRICAN = Names(
    _words(
        "Grace Blessing Precious Chiamaka Ngozi Adaeze Abena Ama Funmilayo Folasade Esther "
        "Ruth Chipo Nomvula Fatou Amara"
    ),
    _words(
        "Emmanuel Samuel Kwame Kofi Chinedu Oluwaseun Tunde Femi Tendai Tafadzwa Joseph Daniel "
        "Isaac Moses Abdou Kelechi"
    ),
    _words(
        "Okafor Adeyemi Mensah Owusu Boateng Okoro Nwosu Adebayo Osei Asante Moyo Ncube Ogunleye "
        "Eze Diallo Banda Mutasa Okonkwo"
    ),
)
CHINESE = Names(
    _words("Mei Li Xin Yan Jing Hui Ling Ying"),
    _words("Wei Jun Chen Ming Hao Jian Kai Long"),
    _words("Wang Li Zhang Chen Liu Wong Chan Lam Cheung Ho Yang Huang"),
)
ARAB = Names(
    _words("Layla Nour Huda Rania Salma Dalia Yasmin Mariam"),
    _words("Ahmed Mohamed Khalid Youssef Hassan Omar Karim Tarek"),
    _words("Hassan Abdullah Mansour Haddad Nasser Saleh Ibrahim Khalil"),
)
NAMES: dict[str, Names] = {
    "british": BRITISH,
    "irish": IRISH,
    "european": EUROPEAN,
    "muslim": MUSLIM,
    "indian": INDIAN,
    "caribbean": CARIBBEAN,
    "african": AFRICAN,
    "chinese": CHINESE,
    "arab": ARAB,
}
# A person of mixed heritage: a first name from the first group, a surname from either.
MIXED = {
    "mixed_caribbean": ("british", "caribbean"),
    "mixed_african": ("british", "african"),
    "mixed_asian": ("british", "indian"),
}


# --- audiences -------------------------------------------------------------------------------

# (code, name, description, match, rules as dicts of kind, values and exclude): the audiences
# that requirements and the waiting list use, built from the council's own job families,
# flags and directorates.
AUDIENCES: tuple[tuple[str, str, str, str, tuple[dict, ...]], ...] = (
    ("everyone", "Everyone", "Everyone in post", "all", ()),
    (
        "managers",
        "Managers",
        "Everyone whose job role manages people, or who line manages someone",
        "any",
        (
            {"kind": "role_flag", "values": ["manages_people"]},
            {"kind": "line_manager"},
        ),
    ),
    (
        "works-with-children",
        "Works with children",
        "Everyone whose job role works with children",
        "all",
        ({"kind": "role_flag", "values": ["works_with_children"]},),
    ),
    (
        "social-workers",
        "Social workers",
        "Registered social workers, children's and adults', and their team managers",
        "all",
        (
            {
                "kind": "job_family",
                "values": [FAMILIES["CSW"].name, FAMILIES["ASW"].name],
            },
            {"kind": "role_flag", "values": ["registered"]},
        ),
    ),
    (
        "childrens-services",
        "Children's services",
        "Everyone in the Children's directorate",
        "all",
        ({"kind": "unit", "values": ["CHI"]},),
    ),
)
