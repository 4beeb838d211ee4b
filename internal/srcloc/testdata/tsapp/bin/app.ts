#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ApiStack } from '../lib/stack';

const app: cdk.App = new cdk.App();
new ApiStack(app, 'ApiStack');
