# In[1]:
import autogen
config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")

# In[2]:
    llm_config={
        "config_list": config_list,
        "seed": 42,
        "request_timeout": 600,
        "temperature": 0
    }

# In[3]:
assistant = autogen.AssistantAgent(name="assistant", llm_config=llm_config,
                                   system_message="Your loyal assistant!")
user_proxy = autogen.UserProxyAgent(
    name = "user_proxy",
    human_input_mode = "NEVER",
    max_consecutive_auto_reply = 100,
    code_execution_config={"work_dir": "web"},
    llm_config=llm_config,
    system_message = """Reply TERMINATE if the task has been solved at full satisfaction.
Otherwise, reply CONTINUE, or the reason why the task is not solved yet."""
)

# In[4]:
user_proxy.initiate_chat(assistant, message="""
Write me a python script that fetches the weather for Taipei and prints it.
""")
