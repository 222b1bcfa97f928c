import autogen

config_list = autogen.config_list_from_json(
    "OAI_CONFIG_LIST",
    filter_dict={"model": ["gpt-4-turbo"]},
)
llm_config = {"config_list": config_list, "cache_seed": None, "timeout": 120}

planner = autogen.AssistantAgent("Planner", llm_config=llm_config,
    system_message="Plan the research. Revise the plan on feedback.")
scientist = autogen.AssistantAgent("Scientist", llm_config=llm_config)
engineer = autogen.AssistantAgent("Engineer", llm_config=llm_config)
critic = autogen.AssistantAgent("Critic", llm_config=llm_config,
    system_message="Double check the plan and the code and give feedback.")
executor = autogen.UserProxyAgent(
    "Executor",
    human_input_mode="NEVER",
    code_execution_config={"last_n_messages": 3, "work_dir": "paper"},
)
admin = autogen.UserProxyAgent("Admin", human_input_mode="NEVER", code_execution_config=False)

groupchat = autogen.GroupChat(
    agents=[admin, planner, scientist, engineer, critic, executor],
    messages=[],
    max_round=200,
)
manager = autogen.GroupChatManager(groupchat=groupchat, llm_config=llm_config)

admin.initiate_chat(manager, message="Find papers on LLM agents from the last week and build a table of their domains.")
