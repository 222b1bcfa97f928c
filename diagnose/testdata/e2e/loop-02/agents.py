import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST", filter_dict={"model": ["gpt-4o-mini"]})
llm_config = {"config_list": config_list, "temperature": 0}

engineer = autogen.AssistantAgent(
    name="engineer",
    system_message="You write Python. Reply TERMINATE when the task is done.",
    llm_config=llm_config,
)
executor = autogen.UserProxyAgent(
    name="executor",
    human_input_mode="NEVER",
    code_execution_config={"work_dir": "work", "use_docker": False},
)

executor.initiate_chat(engineer, message="Download the top 10 Hacker News stories and chart their scores.")
