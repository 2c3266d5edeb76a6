"""A small, valid bundle that tests change one field at a time."""

import copy


def small_bundle(**audit) -> dict:
    bundle = {
        "format": "maca-audit-bundle/1",
        "partnership": "Testshire Safeguarding Children Partnership",
        "areas": ["East", "North"],
        "agencies": ["Children's Social Care", "Police", "Health Provider"],
        "audit": {
            "title": "Transitions from children's to adults' services",
            "theme": "Transitions",
            "rationale": "Recommended by a serious case review",
            "rationale_link": "https://example.org/scr",
            "reason": "review",
            "status": "closed",
            "sample_plan": {"East": 1, "North": 1},
            "returns_due": "2017-10-31",
            "meeting_date": "2017-11-20",
            "next_steps": "Share with the board.",
        }
        | audit,
        "questions": [
            {
                "key": "q1",
                "text": "Was the young person's voice heard?",
                "kind": "text",
            },
            {
                "key": "q2",
                "text": "Was there a transition plan by 16?",
                "kind": "yes_no_partly",
                "key_measure": True,
            },
        ],
        "themes": [
            {
                "title": "Information sharing",
                "description": "With GPs especially",
                "kind": "concern",
                "library_theme": "Information sharing",
            },
            {"title": "Engagement", "description": "", "kind": "concern", "library_theme": None},
        ],
        "cases": [
            {
                "reference": "T-E-01",
                "area": "East",
                "involved_agencies": ["Children's Social Care", "Police"],
                "returns": [
                    _return("Children's Social Care", "requires_improvement", q2="no"),
                    _return("Police", "good", q2="partly"),
                ],
                "ratification": {"grade": "requires_improvement", "reason": ""},
                "themes": ["Information sharing"],
                "good_practice": ["Police shared the missing episode the same day."],
                "concerns": ["No GP involvement in the plan."],
                "immediate_actions": [],
            },
            {
                "reference": "T-N-01",
                "area": "North",
                "involved_agencies": ["Children's Social Care", "Health Provider"],
                "returns": [
                    {
                        "agency": "Children's Social Care",
                        "status": "outstanding",
                        "grade": None,
                        "answers": {},
                        "good_practice": "",
                        "areas_for_development": "",
                        "learning": "",
                        "immediate_action": None,
                    },
                    _return("Health Provider", "inadequate", q2="no"),
                ],
                "ratification": {"grade": "inadequate", "reason": ""},
                "themes": ["Information sharing", "Engagement"],
                "good_practice": [],
                "concerns": [],
                "immediate_actions": [
                    {
                        "agency": "Children's Social Care",
                        "owner": "Team manager",
                        "description": "Visit within five days and review the safety plan.",
                        "due": "2017-12-01",
                        "status": "complete",
                    },
                ],
            },
        ],
        "recommendations": [
            {
                "text": "Agencies should include the GP in transition planning.",
                "themes": ["Information sharing"],
                "actions": [
                    {
                        "agency": "Health Provider",
                        "owner": "Named GP lead",
                        "description": "Add the GP to the planning checklist.",
                        "due": "2018-03-31",
                        "status": "open",
                    }
                ],
            },
        ],
    }
    return copy.deepcopy(bundle)


def _return(agency: str, grade: str, **answers) -> dict:
    return {
        "agency": agency,
        "status": "submitted",
        "grade": grade,
        "answers": {"q1": "Yes, recorded in the plan."} | answers,
        "good_practice": "Timely contact.",
        "areas_for_development": "Record the voice.",
        "learning": "Brief the team.",
        "immediate_action": None,
    }
