"""What the demo council's learning is made of: its providers, topics, venues, the catalogue of
learning items and its programmes. Plain data; `learning.py` turns it into sessions, bookings
and records of learning.

The catalogue is the one a council's L&D team and its social care Workforce Development team
run together: corporate and management courses, mandatory e-learning, social work practice,
professional qualifications (ILM, apprenticeship standards, the ASYE) and learning that is
arranged rather than scheduled (coaching, mentoring, shadowing, reflective groups).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ELEARNING_HOST = "https://learn.northbridge.example"
ONLINE_HOST = "https://meet.northbridge.example"

# --- providers -------------------------------------------------------------------------------

LND = "Northbridge Learning and Development"
WFD = "Workforce Development (Social Care)"
HSW = "Health, Safety and Wellbeing Team"
NSCP = "Northbridge Safeguarding Children Partnership"
UNI = "University of Northbridge"
COLLEGE = "Northbridge College ILM Centre"
LEARNPOINT = "LearnPoint e-learning"
PENNINE = "Pennine Training Partnership"
SAFER = "Safer Practice Consulting"
FIRSTAID = "Northern First Aid Training"

# (name, internal, contact email)
PROVIDERS: tuple[tuple[str, bool, str], ...] = (
    (LND, True, "learning@northbridge.example"),
    (WFD, True, "workforce.development@northbridge.example"),
    (HSW, True, "health.safety@northbridge.example"),
    (NSCP, False, "training@nscp.example"),
    (UNI, False, "cpd@northbridge-university.example"),
    (COLLEGE, False, "ilm@northbridge-college.example"),
    (LEARNPOINT, False, "support@learnpoint.example"),
    (PENNINE, False, "bookings@pennine-training.example"),
    (SAFER, False, "hello@saferpractice.example"),
    (FIRSTAID, False, "courses@northernfirstaid.example"),
)

# --- topics ----------------------------------------------------------------------------------

# (slug, name)
TOPICS: tuple[tuple[str, str], ...] = (
    ("safeguarding-children", "Safeguarding children"),
    ("safeguarding-adults", "Safeguarding adults"),
    ("leadership", "Leadership and management"),
    ("health-safety", "Health and safety"),
    ("information-governance", "Data protection and information governance"),
    ("equality", "Equality, diversity and inclusion"),
    ("digital", "Digital skills"),
    ("wellbeing", "Health and wellbeing"),
    ("social-work", "Social work practice"),
    ("mental-capacity", "Mental Capacity Act"),
    ("customer", "Customer service"),
    ("finance", "Finance and procurement"),
    ("projects", "Project and change management"),
    ("qualifications", "Professional qualifications"),
    ("communication", "Communication skills"),
    ("trauma", "Trauma-informed practice"),
    ("first-aid", "First aid"),
    ("domestic-abuse", "Domestic abuse"),
    ("coaching", "Coaching and mentoring"),
    ("climate", "Climate and sustainability"),
    ("law", "Law and legal literacy"),
    ("induction", "Induction"),
)

# --- venues ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VenueSpec:
    key: str
    name: str
    address: str
    access_notes: str
    room_size: int
    is_active: bool = True


VENUES: tuple[VenueSpec, ...] = (
    VenueSpec(
        "civic-suite",
        "Civic Centre, Training Suite",
        "Northbridge Civic Centre\nMarket Square\nNorthbridge\nNB1 1AA",
        "Step-free entrance from Market Square. Hearing loop in the Training Suite. Accessible "
        "toilets on every floor. Sign in at main reception on the ground floor.",
        30,
    ),
    VenueSpec(
        "civic-committee",
        "Civic Centre, Committee Room 2",
        "Northbridge Civic Centre\nMarket Square\nNorthbridge\nNB1 1AA",
        "Second floor, lift from the main reception. Accessible toilet opposite the room.",
        20,
    ),
    VenueSpec(
        "riverside",
        "Riverside House Learning Centre",
        "Riverside House\n14 Quay Street\nNorthbridge\nNB2 4QS",
        "Ground floor, level access from the car park (two Blue Badge bays). Quiet room "
        "available on request. Nearest bus stop: Quay Street (routes 12 and 40).",
        24,
    ),
    VenueSpec(
        "oakfield",
        "Oakfield Family Centre, Meeting Room",
        "Oakfield Family Centre\n2 Oakfield Road\nNorthbridge\nNB5 7OF",
        "Ramped entrance at the side of the building. The room is shared with the nursery: "
        "please arrive after 9:15 and sign in at the office.",
        12,
    ),
    VenueSpec(
        "library",
        "Central Library, Community Room",
        "Northbridge Central Library\nVictoria Street\nNorthbridge\nNB1 3VL",
        "Lift to the first floor. Hearing loop. Accessible toilets and baby change on the "
        "ground floor. Pay and display parking on Victoria Street.",
        40,
    ),
    VenueSpec(
        "depot",
        "Greenway Depot, Training Room",
        "Greenway Depot\nGreenway Industrial Estate\nNorthbridge\nNB8 2GD",
        "Site induction at the gatehouse before entering. Wear safety boots in the yard. "
        "Training room on the ground floor with level access.",
        16,
    ),
    VenueSpec(
        "town-hall",
        "Town Hall, Council Chamber",
        "Northbridge Town Hall\nKing Street\nNorthbridge\nNB1 2KS",
        "Step-free entrance on Church Lane. Hearing loop and live captions in the chamber. "
        "Accessible toilets on the ground floor. Refreshments in the Mayor's Parlour.",
        150,
    ),
    VenueSpec(
        "eastgate",
        "Eastgate Adult Social Care Hub, Room 3",
        "Eastgate House\n61 Eastgate\nNorthbridge\nNB3 6EG",
        "First floor, lift available. Accessible toilet on each floor. Limited parking: use "
        "the Eastgate multi-storey.",
        14,
    ),
    VenueSpec(
        "old-mill",
        "Old Mill Business Centre, Room B",
        "Old Mill Business Centre\nMill Lane\nNorthbridge\nNB6 1ML",
        "No longer used for council training since the lease ended.",
        18,
        is_active=False,
    ),
)

# --- audiences -------------------------------------------------------------------------------

# Who an item is for: the job families (`catalogue.FAMILIES` keys) whose people book it, and
# the words the catalogue shows. "managers" are the holders of manager posts; "asye" the
# newly qualified social workers; "practice" senior social workers and advanced practitioners.
AUDIENCES: dict[str, tuple[tuple[str, ...], str]] = {
    "all": ((), "Everyone who works for the council, in any role."),
    "managers": ((), "Managers of people at every level, and those about to become one."),
    "social_care": (
        ("CSW", "ASW", "CARE", "RCC", "OT"),
        "Social workers, social care staff and occupational therapists.",
    ),
    "children": (
        ("CSW", "RCC", "EDU", "EP"),
        "Everyone who works with children and families.",
    ),
    "adults": (("ASW", "CARE", "OT"), "Everyone who works with adults who need care."),
    "csw": (("CSW",), "Children's social workers and social work assistants."),
    "asw": (("ASW", "OT"), "Adult social workers, assessment officers and OTs."),
    "care": (("CARE", "RCC"), "Care and support workers in the council's own services."),
    "asye": ((), "Newly qualified social workers in their ASYE year."),
    "practice": ((), "Senior social workers and advanced practitioners."),
    "public_health": (("PH", "EH"), "Public health and environmental health staff."),
    "place": (
        ("HSG", "TRD", "HWY", "ENV", "PLN", "REG", "LIB"),
        "Staff in housing, highways, environment, planning, regulation and libraries.",
    ),
    "outdoor": (("TRD", "HWY", "ENV"), "Trades, highways and environmental services staff."),
    "office": (
        ("FIN", "HR", "IT", "LEG", "GOV", "CUS", "BS", "POL"),
        "Staff in corporate and business support roles.",
    ),
    "customer": (("CUS", "HSG", "LIB", "BS"), "Staff who deal with residents every day."),
}

# --- the catalogue ---------------------------------------------------------------------------

NONE, MANAGER, MANAGER_LD = "none", "manager", "manager_then_ld"

CLASSROOM = "classroom"
WORKSHOP = "workshop"
WEBINAR = "webinar"
ELEARNING = "elearning"
QUALIFICATION = "qualification"
CONFERENCE = "conference"
COACHING = "coaching"
MENTORING = "mentoring"
SHADOWING = "shadowing"
REFLECTIVE = "reflective"
SELF_DIRECTED = "self_directed"

# Kinds that run as sessions in the demo (reflective groups meet as sessions too).
SESSION_KINDS = (CLASSROOM, WORKSHOP, WEBINAR, CONFERENCE, REFLECTIVE)

DELIVERY = {
    CLASSROOM: "A classroom course with a trainer, in one of the council's training rooms.",
    WORKSHOP: "A practical workshop in a small group: come ready to take part.",
    WEBINAR: "A live online session: join from your own device with the link in your invite.",
    ELEARNING: "An e-learning module you can do at your own pace, on a computer or a phone.",
    QUALIFICATION: "A qualification studied over several months alongside your job, with "
    "assessed work.",
    CONFERENCE: "A conference day with talks and workshops, open to staff across the council.",
    COACHING: "One-to-one coaching sessions with a trained coach from the council's pool.",
    MENTORING: "A mentoring relationship with an experienced colleague, over about six months.",
    SHADOWING: "Time spent alongside a colleague in another team, arranged with both managers.",
    REFLECTIVE: "A facilitated group that meets to reflect on practice together.",
    SELF_DIRECTED: "Study you plan and do yourself, recorded on your learning record.",
}


@dataclass(frozen=True)
class ItemSpec:
    code: str
    title: str
    kind: str
    provider: str
    hours: str
    days: str
    cost: str
    topics: tuple[str, ...]
    audience: str
    approval: str
    summary: str
    outcomes: tuple[str, ...]
    assessed: bool = False
    prerequisites: tuple[str, ...] = ()
    weight: float = 1.0  # how often it runs, relatively; popular items run more
    popular: bool = False  # sessions fill up and have waiting lists
    parts: int = 1  # dated parts of a session
    active: bool = True

    @property
    def hours_decimal(self) -> Decimal:
        return Decimal(self.hours)

    @property
    def days_decimal(self) -> Decimal:
        return Decimal(self.days)

    @property
    def cost_decimal(self) -> Decimal:
        return Decimal(self.cost)

    @property
    def hosted_url(self) -> str:
        return f"{ELEARNING_HOST}/course/{self.code.lower()}" if self.kind == ELEARNING else ""

    @property
    def description(self) -> str:
        return f"{self.summary}\n\n{DELIVERY[self.kind]}"

    @property
    def outcomes_text(self) -> str:
        return "\n".join(self.outcomes)

    @property
    def audience_text(self) -> str:
        return AUDIENCES[self.audience][1]


def _i(
    code: str,
    title: str,
    kind: str,
    provider: str,
    hours: str,
    days: str,
    cost: str,
    topics: str,
    audience: str,
    approval: str,
    summary: str,
    outcomes: str,
    **extra,
) -> ItemSpec:
    return ItemSpec(
        code,
        title,
        kind,
        provider,
        hours,
        days,
        cost,
        tuple(topics.split()),
        audience,
        approval,
        summary,
        tuple(o.strip() for o in outcomes.split(";")),
        **extra,
    )


# fmt: off
ITEMS: tuple[ItemSpec, ...] = (
    # --- mandatory and corporate e-learning ---------------------------------------------------
    _i("EL-IND", "Welcome to Northbridge: corporate induction", ELEARNING, LEARNPOINT, "1.5", "0.25", "0", "induction", "all", NONE, "How the council works, its values and what every new starter needs to know in their first weeks.", "Describe how the council is organised; Find the policies that apply to you; Know who to ask for help", weight=3),  # noqa: E501
    _i("EL-DPA", "Data protection and cyber security", ELEARNING, LEARNPOINT, "1", "0", "0", "information-governance digital", "all", NONE, "UK GDPR, keeping personal data safe, spotting phishing and what to do after a breach.", "Handle personal data lawfully; Recognise a phishing email; Report a data breach within the council's timescales", weight=4, assessed=True),  # noqa: E501
    _i("EL-EDI", "Equality, diversity and inclusion", ELEARNING, LEARNPOINT, "1", "0", "0", "equality", "all", NONE, "The Equality Act 2010, the public sector equality duty and inclusive behaviour at work.", "Name the protected characteristics; Explain the public sector equality duty; Challenge exclusion safely", weight=3),  # noqa: E501
    _i("EL-HSA", "Health and safety awareness", ELEARNING, LEARNPOINT, "1", "0", "0", "health-safety", "all", NONE, "Your duties and the council's under the Health and Safety at Work Act, risk assessment and reporting.", "Describe your own health and safety duties; Report an incident or near miss; Read a risk assessment", weight=3),  # noqa: E501
    _i("EL-FIRE", "Fire safety awareness", ELEARNING, LEARNPOINT, "0.5", "0", "0", "health-safety", "all", NONE, "What to do if you discover a fire, evacuation and the role of fire wardens.", "Raise the alarm; Evacuate safely; Know your building's assembly point", weight=2),  # noqa: E501
    _i("EL-SGA", "Safeguarding adults: level 1", ELEARNING, LEARNPOINT, "1", "0", "0", "safeguarding-adults", "all", NONE, "Recognising abuse and neglect of adults at risk and how to raise a concern in Northbridge.", "Recognise the types of abuse; Raise a safeguarding concern; Know the six safeguarding principles", weight=3),  # noqa: E501
    _i("EL-SGC", "Safeguarding children: level 1", ELEARNING, LEARNPOINT, "1", "0", "0", "safeguarding-children", "all", NONE, "Recognising when a child may be at risk and how to share a concern with the front door.", "Recognise signs of harm; Share a concern with the Children's Front Door; Know the council's safeguarding leads", weight=3),  # noqa: E501
    _i("EL-PRE", "Prevent awareness", ELEARNING, LEARNPOINT, "0.75", "0", "0", "safeguarding-adults safeguarding-children", "all", NONE, "The Prevent duty and how to notice and refer concerns about radicalisation.", "Explain the Prevent duty; Notice vulnerability to radicalisation; Make a referral", weight=2),  # noqa: E501
    _i("EL-DA", "Domestic abuse awareness", ELEARNING, LEARNPOINT, "1", "0", "0", "domestic-abuse", "all", NONE, "Coercive control, the impact of domestic abuse on adults and children, and support for colleagues.", "Recognise coercive control; Respond to a disclosure; Signpost to local services", weight=1.5),  # noqa: E501
    _i("EL-MH", "Mental health awareness", ELEARNING, LEARNPOINT, "1", "0", "0", "wellbeing", "all", NONE, "Common mental health conditions, stigma and looking after your own wellbeing.", "Recognise signs of poor mental health; Start a supportive conversation; Find the employee assistance programme", weight=1.5),  # noqa: E501
    _i("EL-MCA", "Mental Capacity Act essentials", ELEARNING, LEARNPOINT, "1.5", "0.25", "0", "mental-capacity law", "adults", NONE, "The five principles of the Mental Capacity Act 2005 and best interests decisions.", "Apply the five principles; Carry out a two-stage capacity test; Record a best interests decision", weight=2),  # noqa: E501
    _i("EL-MAN", "Manual handling of objects", ELEARNING, LEARNPOINT, "0.5", "0", "0", "health-safety", "outdoor", NONE, "Safe lifting and carrying of loads, and when to use equipment.", "Assess a load before lifting; Use a safe lifting technique", weight=1.5),  # noqa: E501
    _i("EL-M365", "Getting the most from Microsoft 365", ELEARNING, LEARNPOINT, "2", "0.25", "0", "digital", "office", NONE, "Teams, OneDrive and SharePoint for working together securely.", "Share files safely; Run a Teams meeting; Find documents quickly", weight=1),  # noqa: E501
    _i("EL-ANTI", "Anti-fraud and bribery", ELEARNING, LEARNPOINT, "0.75", "0", "0", "finance law", "all", NONE, "Recognising fraud, the council's whistleblowing policy and the Bribery Act.", "Recognise the warning signs of fraud; Report concerns safely", weight=1),  # noqa: E501
    _i("EL-LONE", "Lone working", ELEARNING, LEARNPOINT, "0.75", "0", "0", "health-safety", "social_care", NONE, "Keeping safe when visiting alone, the lone worker app and check-in procedures.", "Plan a safe visit; Use the lone worker app; Leave a situation safely", weight=1.5),  # noqa: E501
    _i("EL-CLIM", "Carbon literacy for council staff", ELEARNING, LEARNPOINT, "1", "0", "0", "climate", "all", NONE, "The council's climate emergency plan and what each service can do to cut emissions.", "Explain the council's net zero target; Identify actions in your own work", weight=0.5),  # noqa: E501
    _i("EL-CUST", "Customer care essentials", ELEARNING, LEARNPOINT, "1", "0", "0", "customer communication", "customer", NONE, "Good customer service on the phone, by email and face to face.", "Use plain English; Handle a complaint calmly; Follow up what you promised", weight=1),  # noqa: E501
    _i("EL-RECORD", "Recording in social care", ELEARNING, LEARNPOINT, "1.5", "0.25", "0", "social-work information-governance", "social_care", NONE, "Writing case records that are accurate, analytical and respectful of the people they describe.", "Write analytical case notes; Record the voice of the person; Meet recording timescales", weight=1),  # noqa: E501
    # --- health, safety and first aid ---------------------------------------------------------
    _i("HS-FAW", "First aid at work", CLASSROOM, FIRSTAID, "18", "3", "195", "first-aid health-safety", "all", MANAGER, "The three-day HSE-approved First Aid at Work course for nominated first aiders.", "Give first aid in an emergency; Manage an incident scene; Record first aid given", assessed=True, parts=3, weight=1.5),  # noqa: E501
    _i("HS-EFAW", "Emergency first aid at work", CLASSROOM, FIRSTAID, "6", "1", "85", "first-aid health-safety", "all", MANAGER, "A one-day course for appointed persons and emergency first aiders.", "Perform CPR; Put someone in the recovery position; Deal with bleeding and burns", assessed=True, weight=2, popular=True),  # noqa: E501
    _i("HS-FW", "Fire warden training", CLASSROOM, HSW, "3", "0.5", "0", "health-safety", "all", NONE, "The role of a fire warden in the council's buildings, and evacuation drills.", "Sweep an area in an evacuation; Assist people with personal evacuation plans", weight=1),  # noqa: E501
    _i("HS-RISK", "Risk assessment for managers", WORKSHOP, HSW, "3", "0.5", "0", "health-safety leadership", "managers", NONE, "How to write and review risk assessments for your team's work.", "Identify hazards; Write suitable controls; Review an assessment after an incident", weight=1),  # noqa: E501
    _i("HS-MH-FA", "Mental health first aid", CLASSROOM, HSW, "13", "2", "0", "wellbeing first-aid", "all", MANAGER, "The two-day course that qualifies you as a mental health first aider.", "Spot the signs of mental ill health; Give first support; Guide someone to help", parts=2, weight=1.5, popular=True),  # noqa: E501
    _i("HS-CONFLICT", "Conflict resolution and personal safety", CLASSROOM, PENNINE, "6", "1", "95", "health-safety customer", "customer", MANAGER, "De-escalating aggressive situations with the public and keeping yourself safe.", "Recognise the signs of escalation; Use de-escalation techniques; Report an incident", weight=1.5),  # noqa: E501
    _i("HS-MOVE", "Moving and handling people", CLASSROOM, HSW, "6", "1", "0", "health-safety", "care", NONE, "Safe moving and handling of the people you support, with hoists and slide sheets.", "Use a hoist safely; Follow a moving and handling plan", assessed=True, weight=2, popular=True),  # noqa: E501
    _i("HS-MEDS", "Safe administration of medication", CLASSROOM, WFD, "6", "1", "0", "health-safety safeguarding-adults", "care", NONE, "Handling, giving and recording medication in the council's care services.", "Give medication safely; Complete a MAR chart; Report an error", assessed=True, weight=1.5),  # noqa: E501
    _i("HS-IOSH", "IOSH Managing Safely", CLASSROOM, PENNINE, "24", "4", "450", "health-safety leadership qualifications", "managers", MANAGER_LD, "The IOSH certificate for managers responsible for health and safety in their service.", "Assess and control risks; Investigate incidents; Measure performance", assessed=True, parts=4, weight=0.7),  # noqa: E501
    # --- leadership and management -----------------------------------------------------------
    _i("MG-LEAD", "Leading teams in Northbridge", CLASSROOM, LND, "13", "2", "0", "leadership", "managers", MANAGER, "The council's core course for new managers: leadership styles, setting direction and our values.", "Set clear expectations; Adapt your style to the situation; Lead by the council's values", parts=2, weight=1.5, popular=True),  # noqa: E501
    _i("MG-ATT", "Managing attendance", WORKSHOP, LND, "3", "0.5", "0", "leadership wellbeing", "managers", NONE, "Applying the attendance policy fairly: return-to-work meetings, triggers and reasonable adjustments.", "Hold a return-to-work meeting; Apply the triggers consistently; Consider reasonable adjustments", weight=1.5),  # noqa: E501
    _i("MG-REC", "Recruitment and selection", CLASSROOM, LND, "6", "1", "0", "leadership equality", "managers", NONE, "Safer, fairer recruitment from job description to offer, including unconscious bias.", "Write a fair job advert; Run a structured interview; Follow safer recruitment checks", weight=1.5),  # noqa: E501
    _i("MG-COACH", "Coaching skills for managers", WORKSHOP, LND, "6", "1", "0", "leadership coaching", "managers", NONE, "Using a coaching approach in one-to-ones and supervision.", "Use the GROW model; Ask powerful questions; Agree actions the person owns", weight=1),  # noqa: E501
    _i("MG-BUD", "Managing budgets", WORKSHOP, LND, "3", "0.5", "0", "finance leadership", "managers", NONE, "Budget monitoring, forecasting and the council's financial regulations for budget holders.", "Read your budget report; Forecast the year end; Know your delegated limits", weight=1),  # noqa: E501
    _i("MG-DIFF", "Difficult conversations", WORKSHOP, LND, "3", "0.5", "0", "leadership communication", "managers", NONE, "Preparing for and holding conversations about performance, conduct and change.", "Plan a difficult conversation; Stay calm under pressure; Agree next steps", weight=1.5, popular=True),  # noqa: E501
    _i("MG-WELL", "Supporting wellbeing in your team", WEBINAR, HSW, "1.5", "0.25", "0", "wellbeing leadership", "managers", NONE, "Stress risk assessments, the employee assistance programme and wellbeing conversations.", "Complete a stress risk assessment; Refer to occupational health", weight=1),  # noqa: E501
    _i("MG-CHANGE", "Leading through change", WORKSHOP, LND, "6", "1", "0", "leadership projects", "managers", MANAGER, "Helping a team through restructures and new ways of working.", "Explain change clearly; Support people through uncertainty; Follow the managing change policy", weight=1),  # noqa: E501
    _i("MG-DISC", "Disciplinary and grievance investigations", CLASSROOM, LND, "6", "1", "0", "leadership law", "managers", MANAGER, "How to carry out a fair investigation and write an investigation report.", "Plan an investigation; Interview witnesses; Write a balanced report", weight=0.8),  # noqa: E501
    _i("MG-PLAN", "P.L.A.N. conversations for managers", WEBINAR, LND, "1.5", "0.25", "0", "leadership", "managers", NONE, "Holding the council's annual P.L.A.N. conversations and agreeing objectives.", "Prepare for a P.L.A.N. conversation; Agree SMART objectives; Record development needs", weight=1.5),  # noqa: E501
    _i("MG-ASPIRE", "Aspiring managers", WORKSHOP, LND, "13", "2", "0", "leadership", "all", MANAGER, "For staff thinking about their first management role: what it takes and how to prepare.", "Reflect on your strengths; Plan your development; Know what managers do in Northbridge", parts=2, weight=1, popular=True),  # noqa: E501
    _i("MG-PROJ", "Project management fundamentals", CLASSROOM, PENNINE, "12", "2", "240", "projects", "office", MANAGER_LD, "Planning, running and closing projects using the council's project framework.", "Write a project brief; Manage risks and issues; Close a project well", parts=2, weight=0.8),  # noqa: E501
    _i("MG-PROC", "Procurement for commissioners", WEBINAR, LND, "2", "0.25", "0", "finance law", "managers", NONE, "The Procurement Act 2023 and the council's contract procedure rules.", "Choose the right procurement route; Know when to involve Procurement", weight=0.8),  # noqa: E501
    _i("MG-CONF", "Leadership conference", CONFERENCE, LND, "6.5", "1", "0", "leadership", "managers", MANAGER, "The council's annual conference for managers: the chief executive, guest speakers and workshops.", "Hear the council's priorities; Share practice with other managers", weight=0.2),  # noqa: E501
    # --- customer, communication, digital ----------------------------------------------------
    _i("CM-PLAIN", "Writing in plain English", WORKSHOP, LND, "3", "0.5", "0", "communication", "all", NONE, "Writing letters, emails and reports that residents understand first time.", "Write short, clear sentences; Choose everyday words; Structure a document for the reader", weight=1.5, popular=True),  # noqa: E501
    _i("CM-REPORT", "Writing committee reports", WORKSHOP, LND, "3", "0.5", "0", "communication", "office", NONE, "Reports that members can decide on: options, risks and implications.", "Set out options clearly; Write the implications sections", weight=0.8),  # noqa: E501
    _i("CM-PRESENT", "Presentation skills", WORKSHOP, PENNINE, "6", "1", "120", "communication", "all", MANAGER, "Planning and giving presentations with confidence, in the room and online.", "Structure a presentation; Handle questions; Present online well", weight=0.8),  # noqa: E501
    _i("CM-DIGITAL", "Excel for everyday work", WEBINAR, LND, "2", "0.25", "0", "digital", "office", NONE, "Formulas, filters and pivot tables for people who work with data.", "Use common formulas; Build a pivot table; Present data clearly", weight=1.5, popular=True),  # noqa: E501
    _i("CM-AI", "Using AI tools safely at work", WEBINAR, LND, "1", "0", "0", "digital information-governance", "all", NONE, "What the council's AI policy allows, and how to check what the tools give you.", "Follow the AI policy; Protect personal data; Check outputs for errors", weight=1.2, popular=True),  # noqa: E501
    _i("CM-COMPL", "Handling complaints well", WORKSHOP, LND, "3", "0.5", "0", "customer", "customer", NONE, "The council's two-stage complaints process and learning from complaints.", "Respond within the timescales; Write a fair complaint response", weight=1),  # noqa: E501
    _i("CM-BSL", "British Sign Language: introduction", CLASSROOM, PENNINE, "12", "2", "150", "communication equality", "customer", MANAGER, "Basic BSL for front-line staff who meet Deaf residents.", "Fingerspell names; Use everyday signs; Book an interpreter", parts=4, weight=0.5),  # noqa: E501
    _i("ED-ALLY", "Being an active ally", WORKSHOP, LND, "3", "0.5", "0", "equality", "all", NONE, "Practical steps to challenge discrimination and support colleagues.", "Recognise microaggressions; Intervene safely; Support a colleague who reports", weight=1),  # noqa: E501
    _i("ED-EIA", "Equality impact assessments", WEBINAR, LND, "1.5", "0.25", "0", "equality law", "office", NONE, "Writing an equality impact assessment that informs the decision.", "Gather the right evidence; Assess impact on each protected group", weight=0.8),  # noqa: E501
    _i("ED-NEURO", "Neurodiversity at work", WEBINAR, HSW, "1.5", "0.25", "0", "equality wellbeing", "all", NONE, "Understanding autism, ADHD, dyslexia and reasonable adjustments.", "Understand neurodivergent strengths; Agree workplace adjustments", weight=1),  # noqa: E501
    _i("WB-RES", "Building personal resilience", WORKSHOP, HSW, "3", "0.5", "0", "wellbeing", "all", NONE, "Looking after yourself under pressure, with practical techniques.", "Notice your stress signals; Use three resilience techniques", weight=1.5, popular=True),  # noqa: E501
    _i("WB-MENO", "Menopause awareness", WEBINAR, HSW, "1", "0", "0", "wellbeing equality", "all", NONE, "The menopause at work, the council's policy and the support available.", "Understand symptoms and impact; Have a supportive conversation", weight=0.8),  # noqa: E501
    # --- safeguarding and social care practice -------------------------------------------------
    _i("SG-C2", "Safeguarding children: level 2", CLASSROOM, NSCP, "6", "1", "0", "safeguarding-children", "children", NONE, "Multi-agency safeguarding for staff in regular contact with children and families.", "Identify indicators of abuse and neglect; Follow the partnership's procedures; Share information lawfully", prerequisites=("EL-SGC",), weight=2.5, popular=True),  # noqa: E501
    _i("SG-C3", "Safeguarding children: level 3", CLASSROOM, NSCP, "12", "2", "0", "safeguarding-children", "csw", MANAGER, "Advanced multi-agency safeguarding for practitioners who assess and plan for children.", "Contribute to strategy discussions; Analyse risk and protective factors; Escalate professional disagreement", prerequisites=("SG-C2",), parts=2, weight=1.5, popular=True),  # noqa: E501
    _i("SG-A2", "Safeguarding adults: level 2", CLASSROOM, WFD, "6", "1", "0", "safeguarding-adults", "adults", NONE, "Responding to and reporting safeguarding concerns about adults at risk.", "Respond to a disclosure; Make a safeguarding referral; Take part in a Section 42 enquiry", prerequisites=("EL-SGA",), weight=2, popular=True),  # noqa: E501
    _i("SG-A3", "Safeguarding adults: enquiry officer", CLASSROOM, WFD, "12", "2", "0", "safeguarding-adults law", "asw", MANAGER, "Leading Section 42 safeguarding enquiries under the Care Act 2014.", "Plan a proportionate enquiry; Make safeguarding personal; Write an enquiry report", prerequisites=("SG-A2",), parts=2, weight=1),  # noqa: E501
    _i("SG-EXP", "Child exploitation and contextual safeguarding", WORKSHOP, NSCP, "6", "1", "0", "safeguarding-children", "children", NONE, "Criminal and sexual exploitation, county lines and harm outside the home.", "Recognise exploitation; Map peer groups and places; Use the exploitation risk tool", weight=1.5, popular=True),  # noqa: E501
    _i("SG-DSL", "Designated safeguarding lead training", CLASSROOM, NSCP, "12", "2", "0", "safeguarding-children", "children", MANAGER, "For designated safeguarding leads in council services for children.", "Carry out the DSL role; Keep safeguarding records; Support staff with concerns", parts=2, weight=0.6),  # noqa: E501
    _i("SG-DA-MARAC", "Domestic abuse: DASH risk assessment and MARAC", WORKSHOP, SAFER, "6", "1", "150", "domestic-abuse safeguarding-adults safeguarding-children", "social_care", MANAGER, "Using the DASH risk checklist and referring to the MARAC.", "Complete a DASH risk assessment; Refer to MARAC; Plan for safety", weight=1),  # noqa: E501
    _i("SW-TRAUMA", "Trauma-informed practice", WORKSHOP, WFD, "6", "1", "0", "trauma social-work", "social_care", NONE, "The impact of trauma and adversity and how services can avoid re-traumatising people.", "Explain the impact of trauma; Apply trauma-informed principles in your work", weight=1.5, popular=True),  # noqa: E501
    _i("SW-SOS", "Signs of Safety practice", CLASSROOM, WFD, "12", "2", "0", "social-work safeguarding-children", "csw", NONE, "The council's practice framework for working with children and families.", "Map harm, danger and safety; Write danger statements and safety goals; Involve the family network", parts=2, weight=1.5, popular=True),  # noqa: E501
    _i("SW-COURT", "Court skills for social workers", CLASSROOM, SAFER, "6", "1", "175", "law social-work", "csw", MANAGER_LD, "Preparing statements and giving evidence in care proceedings.", "Write a clear statement; Give evidence under cross-examination", weight=1),  # noqa: E501
    _i("SW-LAW", "Legal literacy for social workers", WEBINAR, WFD, "2", "0.25", "0", "law social-work", "social_care", NONE, "The Children Act 1989, Care Act 2014 and human rights in everyday practice.", "Name the legal basis for your decisions; Apply the Human Rights Act", weight=1),  # noqa: E501
    _i("SW-MCA2", "Mental capacity assessment in practice", WORKSHOP, WFD, "6", "1", "0", "mental-capacity law", "asw", NONE, "Carrying out and recording complex capacity assessments.", "Assess capacity for complex decisions; Record assessments that stand scrutiny", prerequisites=("EL-MCA",), weight=1.2, popular=True),  # noqa: E501
    _i("SW-LPS", "Deprivation of liberty: what changes", WEBINAR, WFD, "1.5", "0.25", "0", "mental-capacity law", "adults", NONE, "The Deprivation of Liberty Safeguards today and what the reforms mean for practice.", "Recognise a deprivation of liberty; Know when to request an authorisation", weight=0.8),  # noqa: E501
    _i("SW-STRENGTH", "Strengths-based practice with adults", WORKSHOP, WFD, "6", "1", "0", "social-work", "adults", NONE, "Conversations that start from what matters to the person and their community.", "Hold a strengths-based conversation; Write an outcome-focused support plan", weight=1.2),  # noqa: E501
    _i("SW-SUPERV", "Reflective supervision", WORKSHOP, WFD, "6", "1", "0", "social-work leadership", "managers", NONE, "Supervision that supports, develops and holds practice to account.", "Use a supervision model; Encourage critical reflection; Record supervision well", weight=1),  # noqa: E501
    _i("SW-PE1", "Practice educator: stage 1", QUALIFICATION, UNI, "60", "8", "600", "qualifications social-work", "practice", MANAGER_LD, "The Practice Educator Professional Standards stage 1 for supervising student social workers.", "Supervise and assess a student on placement; Write a placement report", assessed=True, weight=0.5),  # noqa: E501
    _i("SW-BIA", "Best Interests Assessor", QUALIFICATION, UNI, "90", "12", "1450", "qualifications mental-capacity", "asw", MANAGER_LD, "The university-accredited qualification to act as a Best Interests Assessor.", "Carry out best interests assessments; Write authorisations that meet the law", assessed=True, prerequisites=("EL-MCA",), weight=0.3),  # noqa: E501
    _i("SW-AMHP", "Approved Mental Health Professional", QUALIFICATION, UNI, "300", "40", "7500", "qualifications law", "practice", MANAGER_LD, "The postgraduate AMHP programme under the Mental Health Act 1983.", "Carry out Mental Health Act assessments; Coordinate admissions lawfully", assessed=True, weight=0.1),  # noqa: E501
    _i("SW-ASYE-IND", "ASYE induction", WORKSHOP, WFD, "6", "1", "0", "social-work induction", "asye", NONE, "The start of the Assessed and Supported Year in Employment: expectations, support and the portfolio.", "Understand the ASYE assessment; Plan your learning year", weight=0.6),  # noqa: E501
    _i("SW-ASYE-REF", "ASYE reflective group", REFLECTIVE, WFD, "3", "0.5", "0", "social-work", "asye", NONE, "A monthly facilitated group for newly qualified social workers to reflect on their practice.", "Reflect critically on your cases; Learn from peers", weight=1.2),  # noqa: E501
    _i("SW-ASYE", "Assessed and Supported Year in Employment (ASYE)", QUALIFICATION, WFD, "120", "10", "0", "qualifications social-work", "asye", NONE, "The national first year in practice for newly qualified social workers, assessed against the Post-qualifying Standards.", "Meet the Knowledge and Skills Statement; Complete the ASYE portfolio", assessed=True, weight=0.5),  # noqa: E501
    _i("SW-GROUP", "Group reflective practice: children's services", REFLECTIVE, WFD, "2", "0.25", "0", "social-work trauma", "csw", NONE, "A monthly space for practitioners to think together about difficult cases with a clinical facilitator.", "Reflect on your emotional responses; Think systemically about a case", weight=1.5),  # noqa: E501
    _i("SW-GROUP-ADU", "Group reflective practice: adult social care", REFLECTIVE, WFD, "2", "0.25", "0", "social-work", "asw", NONE, "A monthly facilitated group for adult social care practitioners.", "Reflect on complex decisions; Learn from colleagues' practice", weight=1),  # noqa: E501
    _i("SW-CONF", "Social work practice conference", CONFERENCE, WFD, "6.5", "1", "0", "social-work", "social_care", MANAGER, "The annual conference for social workers and social care staff across the council.", "Hear about practice research; Share what works in Northbridge", weight=0.2),  # noqa: E501
    _i("SW-AUTISM", "Oliver McGowan training on learning disability and autism: tier 1", WEBINAR, WFD, "1.5", "0.25", "0", "equality social-work", "social_care", NONE, "The live interactive session of the mandatory training on learning disability and autism.", "Make reasonable adjustments; Communicate well with autistic people and people with a learning disability", weight=1.5, popular=True),  # noqa: E501
    _i("CR-DEMENTIA", "Dementia care", CLASSROOM, WFD, "6", "1", "0", "social-work wellbeing", "care", NONE, "Person-centred support for people living with dementia.", "Communicate well with someone with dementia; Respond to distress", weight=1.2),  # noqa: E501
    _i("CR-EOL", "End of life care", WORKSHOP, WFD, "6", "1", "0", "social-work", "care", NONE, "Supporting people and families at the end of life, with local hospice staff.", "Recognise the end of life; Support families; Look after yourself", weight=0.8),  # noqa: E501
    _i("CR-CERT", "Care Certificate", QUALIFICATION, WFD, "40", "6", "0", "qualifications social-work induction", "care", MANAGER, "The fifteen standards every new care worker completes in their first twelve weeks.", "Meet the fifteen Care Certificate standards", assessed=True, weight=0.8),  # noqa: E501
    _i("CR-L3", "Adult Care Worker apprenticeship (level 2)", QUALIFICATION, COLLEGE, "300", "30", "3000", "qualifications", "care", MANAGER_LD, "The level 2 apprenticeship standard for adult care workers, funded by the apprenticeship levy.", "Meet the apprenticeship standard; Pass the end-point assessment", assessed=True, weight=0.3),  # noqa: E501
    _i("CR-RCC", "Residential childcare practice", CLASSROOM, WFD, "12", "2", "0", "safeguarding-children trauma", "care", NONE, "Therapeutic care in the council's children's homes.", "Build trusting relationships; Use restorative approaches; Record incidents well", parts=2, weight=1),  # noqa: E501
    # --- place, public health and regulatory -------------------------------------------------
    _i("PL-CHAPT8", "Chapter 8 street works safety", CLASSROOM, PENNINE, "6", "1", "140", "health-safety", "outdoor", MANAGER, "Safe signing, lighting and guarding of works on the highway.", "Set out a work site; Protect the public and the workforce", assessed=True, weight=1),  # noqa: E501
    _i("PL-ASB", "Tackling anti-social behaviour", WORKSHOP, LND, "3", "0.5", "0", "law customer", "place", NONE, "Powers under the Anti-social Behaviour, Crime and Policing Act 2014.", "Choose the right tool; Work with partners on a case", weight=0.8),  # noqa: E501
    _i("PL-EVID", "Evidence gathering and PACE interviews", CLASSROOM, SAFER, "12", "2", "260", "law", "place", MANAGER_LD, "Gathering evidence and interviewing under caution for enforcement officers.", "Keep evidence lawfully; Conduct an interview under caution", parts=2, assessed=True, weight=0.5),  # noqa: E501
    _i("PL-HOUSING", "Homelessness Reduction Act in practice", WORKSHOP, LND, "6", "1", "0", "law customer", "place", NONE, "Prevention and relief duties and personal housing plans.", "Assess a homeless application; Write a personal housing plan", weight=0.8),  # noqa: E501
    _i("PH-MECC", "Make Every Contact Count", WORKSHOP, LND, "3", "0.5", "0", "wellbeing", "all", NONE, "Brief conversations that support residents to improve their health.", "Spot opportunities for a healthy conversation; Signpost to local services", weight=1),  # noqa: E501
    _i("PH-EPI", "Data and evidence for public health", WEBINAR, UNI, "2", "0.25", "0", "digital", "public_health", NONE, "Using local data and evidence to plan services.", "Read a health needs assessment; Use Fingertips data", weight=0.6),  # noqa: E501
    _i("PH-CONF", "Public health annual conference", CONFERENCE, UNI, "6.5", "1", "60", "wellbeing", "public_health", MANAGER, "The regional public health conference hosted with the university.", "Hear the latest evidence; Meet partners from across the region", weight=0.1),  # noqa: E501
    # --- qualifications ----------------------------------------------------------------------
    _i("QL-ILM3", "ILM level 3 certificate in leadership and management", QUALIFICATION, COLLEGE, "90", "10", "950", "qualifications leadership", "managers", MANAGER_LD, "For first-line managers: the level 3 certificate, over nine months.", "Apply leadership theory to your team; Complete three assessed assignments", assessed=True, weight=0.5),  # noqa: E501
    _i("QL-ILM5", "ILM level 5 diploma in leadership and management", QUALIFICATION, COLLEGE, "200", "20", "2400", "qualifications leadership", "managers", MANAGER_LD, "For middle managers: the level 5 diploma, over twelve months.", "Lead strategic change; Manage resources; Complete assessed assignments and a reflective review", assessed=True, prerequisites=("MG-LEAD",), weight=0.4),  # noqa: E501
    _i("QL-CMI7", "Senior leader apprenticeship (level 7)", QUALIFICATION, UNI, "400", "40", "14000", "qualifications leadership", "managers", MANAGER_LD, "The level 7 senior leader apprenticeship standard with an MBA option, funded by the levy.", "Lead at a strategic level; Pass the end-point assessment", assessed=True, weight=0.1),  # noqa: E501
    _i("QL-SWDA", "Social worker degree apprenticeship", QUALIFICATION, UNI, "1200", "90", "24000", "qualifications social-work", "social_care", MANAGER_LD, "The level 6 social worker apprenticeship standard: qualify as a social worker while you work.", "Qualify as a social worker; Register with Social Work England", assessed=True, weight=0.1),  # noqa: E501
    _i("QL-CIPD5", "CIPD level 5 associate diploma", QUALIFICATION, COLLEGE, "180", "18", "3200", "qualifications", "office", MANAGER_LD, "The CIPD associate diploma in people management.", "Apply people practice in the council; Complete the CIPD assessments", assessed=True, weight=0.1),  # noqa: E501
    _i("QL-AAT", "AAT level 3 diploma in accounting", QUALIFICATION, COLLEGE, "180", "15", "1800", "qualifications finance", "office", MANAGER_LD, "The level 3 accounting qualification, studied one day a week.", "Prepare final accounts; Pass the AAT assessments", assessed=True, weight=0.1),  # noqa: E501
    _i("QL-DATA", "Data analyst apprenticeship (level 4)", QUALIFICATION, COLLEGE, "400", "40", "15000", "qualifications digital", "office", MANAGER_LD, "The level 4 data analyst apprenticeship standard.", "Analyse data to answer business questions; Pass the end-point assessment", assessed=True, weight=0.1),  # noqa: E501
    # --- arranged learning -------------------------------------------------------------------
    _i("AR-COACH", "Leadership coaching", COACHING, LND, "6", "1", "0", "coaching leadership", "managers", MANAGER_LD, "Six one-to-one sessions with an accredited coach from the council's coaching pool.", "Set and work towards your own goals; Reflect on your leadership", weight=0.3),  # noqa: E501
    _i("AR-CAREER", "Career coaching", COACHING, LND, "3", "0.5", "0", "coaching", "all", MANAGER, "Three sessions with a career coach to plan your next step.", "Identify your strengths and options; Plan your next move", weight=0.3),  # noqa: E501
    _i("AR-MENTOR", "Reverse mentoring", MENTORING, LND, "6", "1", "0", "coaching equality", "all", NONE, "Senior leaders are mentored by colleagues from under-represented groups.", "See the council through a colleague's eyes; Act on what you learn", weight=0.2),  # noqa: E501
    _i("AR-NQMENTOR", "Peer mentoring for new social workers", MENTORING, WFD, "6", "1", "0", "coaching social-work", "asye", NONE, "An experienced social worker mentors a colleague through their first year.", "Build confidence in practice; Learn the council's ways of working", weight=0.2),  # noqa: E501
    _i("AR-SHADOW", "Shadowing another service", SHADOWING, LND, "6.5", "1", "0", "induction", "all", MANAGER, "A day alongside a colleague in another service, arranged with both managers.", "Understand how another service works; Build working relationships", weight=0.3),  # noqa: E501
    _i("AR-SHADOW-MASH", "Shadowing the Children's Front Door", SHADOWING, WFD, "6.5", "1", "0", "safeguarding-children", "children", MANAGER, "A day at the multi-agency safeguarding hub to see how referrals are decided.", "Understand thresholds; See multi-agency decisions made", weight=0.2),  # noqa: E501
    _i("AR-READ", "Reading and research for CPD", SELF_DIRECTED, WFD, "2", "0", "0", "social-work", "social_care", NONE, "Reading practice research and recording what you learnt for your registration.", "Find and appraise research; Record CPD for Social Work England", weight=0.5),  # noqa: E501
    _i("AR-STUDY", "Self-directed study", SELF_DIRECTED, LND, "3", "0", "0", "induction", "all", NONE, "Learning you plan yourself: books, podcasts, free online courses.", "Plan your own learning; Reflect on what you learnt", weight=0.5),  # noqa: E501
    # --- retired items (kept for the records that refer to them) ------------------------------
    _i("EL-GDPR-OLD", "GDPR: getting ready (2018)", ELEARNING, LEARNPOINT, "1", "0", "0", "information-governance", "all", NONE, "The 2018 introduction to GDPR, replaced by Data protection and cyber security.", "Know the GDPR principles", active=False, weight=0),  # noqa: E501
    _i("MG-OLD", "Management essentials (old programme)", CLASSROOM, LND, "6", "1", "0", "leadership", "managers", MANAGER, "The old management course, replaced by Leading teams in Northbridge.", "Understand the basics of management", active=False, weight=0),  # noqa: E501
)
# fmt: on


# --- programmes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    title: str
    description: str
    items: tuple[str, ...]
    required: int | None  # None: every item
    cohort: str  # who joins: "managers", "asye" or "aspiring"
    share: float  # of the cohort who are members


PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(
        "MDP",
        "Northbridge Manager Development Programme",
        "The council's programme for managers in their first two years: any five of its seven "
        "courses make it complete.",
        ("MG-LEAD", "MG-ATT", "MG-REC", "MG-COACH", "MG-BUD", "MG-DIFF", "MG-CHANGE"),
        5,
        "managers",
        0.35,
    ),
    ProgrammeSpec(
        "ASYE",
        "ASYE programme for newly qualified social workers",
        "Everything a newly qualified social worker does in their Assessed and Supported Year "
        "in Employment: induction, reflective groups, legal literacy and the assessed portfolio.",
        ("SW-ASYE-IND", "SW-ASYE-REF", "SW-LAW", "SG-C2", "SW-ASYE"),
        None,
        "asye",
        1.0,
    ),
    ProgrammeSpec(
        "ASPIRE",
        "Aspiring Leaders",
        "For staff preparing for their first management role: three of its four items.",
        ("MG-ASPIRE", "CM-PRESENT", "AR-CAREER", "MG-PROJ"),
        3,
        "aspiring",
        0.01,
    ),
)

# Why a session was cancelled (a few are).
CANCEL_REASONS = (
    "Not enough bookings to run the session.",
    "The trainer is unwell; the session will be rearranged.",
    "The venue is unavailable because of building works.",
    "The provider cancelled the session.",
    "Moved online: please book the webinar instead.",
)

DECLINE_REASONS = (
    "Not a priority for the team this year: let's discuss at your P.L.A.N. conversation.",
    "The team cannot release you on that date: please book a later session.",
    "You completed similar training recently.",
    "The cost is not in this year's training budget.",
)

RESULTS = ("Pass", "Pass", "Pass", "Merit", "Competent", "Distinction")

# Learning people log themselves, not in the catalogue: (title, hours, development days, notes)
SELF_LOGGED: tuple[tuple[str, str, str, str], ...] = (
    (
        "Research in practice webinar: working with neglect",
        "1.5",
        "0.25",
        "Ideas for chronologies that show cumulative harm; shared them at team meeting.",
    ),
    (
        "Read 'The Munro Review' summary again",
        "2",
        "0",
        "Reflected on how much of our recording is compliance rather than practice.",
    ),
    (
        "Regional housing forum",
        "3",
        "0.5",
        "Heard how two other councils cut use of bed and breakfast for families.",
    ),
    (
        "Online course: introduction to Power BI",
        "4",
        "0.5",
        "Built a first dashboard of our team's caseloads.",
    ),
    (
        "Podcast series on leadership in public services",
        "3",
        "0",
        "Three episodes on compassionate leadership; trying the 'listen first' approach.",
    ),
    (
        "Professional body CPD evening",
        "2",
        "0.25",
        "Update on the new standards and what evidence registrants need to keep.",
    ),
    (
        "Visit to a neighbouring council's family hub",
        "5",
        "1",
        "Saw their single front door for families; notes shared with my manager.",
    ),
)
