import autogen
from autogen import UserProxyAgent
from autogen.agentchat.contrib.teachable_agent import TeachableAgent

filter_dict = {"model": ["gpt-4"]}
config_list = autogen.config_list_from_json(env_or_file="OAI_CONFIG_LIST", filter_dict=filter_dict)
llm_config = {"config_list": config_list, "timeout": 120}

teachable_agent = TeachableAgent(
    name="teachableagent",
    llm_config=llm_config,
    teach_config={
        "reset_db": False,
        "path_to_db_dir": "./tmp/notebook/teachable_agent_db",
    },
)

user = UserProxyAgent("user", human_input_mode="ALWAYS")

teachable_agent.initiate_chat(user, message="Hi, I'm a teachable user assistant! What's on your mind?")
teachable_agent.learn_from_user_feedback()
teachable_agent.close_db()
