import asyncio

import streamlit as st
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient


@st.cache_resource
def get_team():
    client = OpenAIChatCompletionClient(model="gpt-4o-mini", api_key=st.secrets["OPENAI_API_KEY"])
    helper = AssistantAgent("helper", model_client=client, system_message="Answer, then say DONE.")
    return RoundRobinGroupChat([helper], termination_condition=TextMentionTermination("DONE") | MaxMessageTermination(4))


st.title("Ask the helper")
if prompt := st.chat_input("Your question"):
    st.chat_message("user").write(prompt)
    team = get_team()
    result = asyncio.run(team.run(task=prompt))
    st.chat_message("assistant").write(result.messages[-1].content)
