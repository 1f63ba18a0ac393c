"""The objects of the acceptance-sized contact center (tests/contact_center.py) whose rows do not grow
with its counts, as CSV text."""

# The objects whose rows do not grow with the counts, as CSV text (only the columns they fill).
FIXED = {
    "multimedia-profile": """\
Name,Description,Blending Mode,Telephony,Chat,Email,Social
Default Multimedia Profile,Shipped with the product,BLENDED,1,0,0,0
Voice Only,Telephony alone,EXCLUSIVE,1,0,0,0
Blended Digital,,BLENDED,1,3,2,1
Realtime Chat,,BLENDED_REALTIME,1,2,0,0
Email Desk,,EXCLUSIVE,0,0,1,0
""",
    "desktop-layout": """\
Name,Description,Layout JSON
Global Layout,Shipped with the product,
Agent Desk,,"{""version"":""0.2"",""area"":{""navigation"":[{""label"":""Customer"",""icon"":""user""}],""panel"":{}}}"
Supervisor Desk,,"{""version"":""0.1"",""area"":{""header"":{""comp"":""md-tooltip""},""panel"":{""comp"":""tabs""}}}"
""",
    "dial-plan": r"""Name,Description,Regular Expression,Prefix,Stripped Characters
Default Dial Plan,Shipped with the product,^[0-9*#+]+$,,"()- "
Serbia,,"^\+381[0-9]{8,9}$",+381,
US Domestic,"North America, 10 digits",^1?[2-9][0-9]{9}$,+1,"()- ."
Internal Extensions,,^[1-9][0-9]{3}$,,
""",
    "work-type": """\
Name,Type
Break,IDLE_CODE
Training,IDLE_CODE
Meeting,IDLE_CODE
After Call,WRAP_UP_CODE
Follow Up,WRAP_UP_CODE
""",
    # Read in order: each kind's default (ON) before the other codes of its kind.
    "auxiliary-code": """\
Name,Description,Default,Work Type
Lunch,,ON,Break
Coffee,Short break,OFF,Break
Sold,,ON,After Call
Coaching,,OFF,Training
No Sale,,OFF,After Call
Team Meeting,,OFF,Meeting
Callback Promised,,OFF,Follow Up
Technical Issue,,OFF,Break
Escalated,,OFF,Follow Up
Wrong Number,,OFF,After Call
""",
    "user-profile": """\
Name,Description,Profile Type,Active,Permission Access Level,Resource Access Level
Administrator,,ADMINISTRATOR,TRUE,ALL,ALL
Administrator Only,,ADMINISTRATOR_ONLY,TRUE,ALL,ALL
Supervisor,,SUPERVISOR,TRUE,ALL,ALL
Premium Agent,,PREMIUM_AGENT,TRUE,ALL,ALL
Standard Agent,,STANDARD_AGENT,TRUE,ALL,ALL
Analyzer Administrator,,ANALYZER_ADMINISTRATOR,TRUE,ALL,SPECIFIC
Analyzer Supervisor,,ANALYZER_SUPERVISOR,TRUE,ALL,SPECIFIC
Analyzer User,,ANALYZER_USER,TRUE,ALL,SPECIFIC
Legacy Agent,Before the migration,STANDARD_AGENT,FALSE,SPECIFIC,SPECIFIC
""",
    "skill-definition": """\
Name,Description,Service Level Threshold,Type,List Values For Enum
Language,,0,ENUM,English|Serbian|German|Hungarian
Product Knowledge,,30,PROFICIENCY,
Technical,,60,PROFICIENCY,
Certified,,0,BOOLEAN,
Territory,Free text,0,TEXT,
""",
    "skill-profile": """\
Name,Description,Skill Name,Skill Values
Sales Junior,Sales Junior agents,Language,English
Sales Junior,Sales Junior agents,Product Knowledge,4
Sales Senior,,Language,English|Serbian
Sales Senior,,Product Knowledge,9
Sales Senior,,Certified,TRUE
Support Tier 1,,Language,Serbian
Support Tier 1,,Technical,5
Support Tier 2,,Language,Serbian|German
Support Tier 2,,Technical,8
Support Tier 2,,Certified,TRUE
Billing Specialist,,Product Knowledge,7
Billing Specialist,,Territory,Vojvodina
Multilingual,,Language,English|Serbian|German|Hungarian
Multilingual,,Certified,FALSE
""",
    "outdial-entry-point": """\
Name,Description,Service Level Threshold,Timezone,Outdial Queue
Outbound Sales,,20,Europe/Belgrade,
Callbacks,,20,Europe/London,Outbound Callbacks
Collections,Overdue accounts,30,America/New_York,Collections
Surveys,,20,UTC,Surveys
""",
    "outdial-ani": """\
Name,Description,Entry Name,Entry Number
Main numbers,,HQ,+381115550100
Main numbers,,Support,sip:support@example.com
Main numbers,,Sales,+381115550200
Campaign numbers,Outbound campaigns,Spring,+442071838750
Campaign numbers,Outbound campaigns,Autumn,+12125550123
""",
    # Read in order: at most 100 active variables may be Reportable.
    "global-variable": """\
Name,Description,Variable Type,Default Value,Agent Viewable,Agent Editable,Desktop Label,Reportable,Sensitive,Active
language_code,The caller's language,STRING,sr,TRUE,FALSE,Language,FALSE,FALSE,TRUE
customer_tier,,STRING,,TRUE,TRUE,Tier,TRUE,FALSE,TRUE
retry_count,,INTEGER,3,FALSE,FALSE,,TRUE,FALSE,TRUE
order_total,,DECIMAL,12.5,TRUE,FALSE,Order total,TRUE,FALSE,TRUE
callback_due,,DATE_TIME,2026-01-31T09:00:00Z,TRUE,FALSE,Call back,FALSE,FALSE,TRUE
vip,,BOOLEAN,FALSE,TRUE,TRUE,VIP,TRUE,FALSE,TRUE
account_id,,STRING,,FALSE,FALSE,,FALSE,TRUE,TRUE
legacy_score,No longer reported,INTEGER,0,FALSE,FALSE,,TRUE,FALSE,FALSE
survey_answer_1,,INTEGER,1,FALSE,FALSE,,TRUE,FALSE,TRUE
survey_answer_2,,INTEGER,2,FALSE,FALSE,,TRUE,FALSE,TRUE
survey_answer_3,,INTEGER,3,FALSE,FALSE,,TRUE,FALSE,TRUE
""",
    "override": """\
Name,Description,Timezone,Override Name,Start Date Time,End Date Time,Working Hours,Frequency,Repeat Until
Christmas Eve,,Europe/Belgrade,Early close,2026-12-24T14:00,2026-12-24T23:59,FALSE,DONT_REPEAT,
Christmas Eve,,Europe/Belgrade,Late open,2026-12-25T00:00,2026-12-25T10:00,FALSE,DONT_REPEAT,
Year End,,Europe/Belgrade,Inventory,2026-12-31T08:00,2026-12-31T12:00,FALSE,DONT_REPEAT,
Spring Campaign,Campaign,Europe/London,Saturday hours,2027-03-06T09:00,2027-03-06T13:00,TRUE,WEEKLY,2027-05-29
""",
    "holiday-list": """\
Name,Description,Holiday Name,Start Date,End Date,Frequency,Repeat Until
Serbian Holidays,,New Year,2027-01-01,2027-01-02,YEARLY,
Serbian Holidays,,Orthodox Christmas,2027-01-07,2027-01-07,YEARLY,2030-12-31
Serbian Holidays,,Statehood Day,2027-02-15,2027-02-16,YEARLY,
Serbian Holidays,,Labour Day,2027-05-01,2027-05-02,YEARLY,
Serbian Holidays,,Armistice Day,2027-11-11,2027-11-11,DONT_REPEAT,
UK Bank Holidays,,Christmas Day,2026-12-25,2026-12-25,YEARLY,
UK Bank Holidays,,Boxing Day,2026-12-26,2026-12-28,DONT_REPEAT,
""",
}
