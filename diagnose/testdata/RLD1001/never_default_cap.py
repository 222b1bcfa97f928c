import os

import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "temperature": 0}

assistant = autogen.AssistantAgent(
    name="assistant",
    llm_config=llm_config,
)
user_proxy = autogen.UserProxyAgent(  # want RLD1001 "user_proxy \(human_input_mode=\"NEVER\", no max_consecutive_auto_reply \(default 100\)\) and assistant"
    name="user_proxy",
    human_input_mode="NEVER",
    code_execution_config={"work_dir": "coding", "use_docker": False},
)

user_proxy.initiate_chat(assistant, message="Plot NVDA and TSLA stock prices YTD.")
