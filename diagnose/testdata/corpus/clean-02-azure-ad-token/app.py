import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST", filter_dict={"tags": ["team-a"]})

assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list, "cache_seed": 42})
user = autogen.UserProxyAgent(
    "user",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=4,
    is_termination_msg=lambda m: (m.get("content") or "").rstrip().endswith("TERMINATE"),
    code_execution_config={"work_dir": "work", "use_docker": True},
)

user.initiate_chat(assistant, message="Write and run a script that prints today's date.", max_turns=5)
