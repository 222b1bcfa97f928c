import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST", filter_dict={"model": ["gpt-4-turbo"]})
llm_config = {"config_list": config_list, "cache_seed": 42, "temperature": 0}

user_proxy = autogen.UserProxyAgent(
    name="Admin",
    system_message="A human admin.",
    code_execution_config=False,
    human_input_mode="NEVER",
)
planner = autogen.AssistantAgent(name="Planner", llm_config=llm_config, system_message="Planner.")
engineer = autogen.AssistantAgent(name="Engineer", llm_config=llm_config, system_message="Engineer.")
scientist = autogen.AssistantAgent(name="Scientist", llm_config=llm_config, system_message="Scientist.")
critic = autogen.AssistantAgent(name="Critic", llm_config=llm_config, system_message="Critic.")
writer = autogen.AssistantAgent(name="Writer", llm_config=llm_config, system_message="Writer.")
executor = autogen.UserProxyAgent(name="Executor", human_input_mode="NEVER",
                                  code_execution_config={"last_n_messages": 3, "work_dir": "paper", "use_docker": False})

groupchat = autogen.GroupChat(
    agents=[user_proxy, planner, engineer, scientist, critic, writer, executor],
    messages=[],
    max_round=60,
)
manager = autogen.GroupChatManager(groupchat=groupchat, llm_config=llm_config)

user_proxy.initiate_chat(manager, message="Find papers on LLM rate limiting and write a report.")
